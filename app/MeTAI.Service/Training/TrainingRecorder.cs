using System.Runtime.InteropServices;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Training;
using MeTAI.Service.Audit;
using MeTAI.Service.Controller;
using MeTAI.Simulation;

namespace MeTAI.Service.Training;

/// <summary>
/// Records training attempts on the simulated arm (<c>--controller sim</c>), one at a time per service: while one runs,
/// its own thread samples the rig's controller in-process at <see cref="SampleHz"/> — the tool tip from the measured
/// joints through forward kinematics, the magnitude of the restoring force sent to the master, whether the tip is
/// inside the corridor, and each raise of the CorridorViolation interlock — until the trainee finishes or the task's
/// time limit passes; then <see cref="TrainingScorer"/> scores it and <see cref="TrainingScoreStore"/> keeps it.
/// A hosted service so that the host stops it (finishing a running attempt) before it stops the rig.
/// </summary>
public sealed partial class TrainingRecorder(ControllerMonitor monitor, TrainingCatalog catalog, TrainingScoreStore store, PhiAudit audit,
    TimeProvider time, ILogger<TrainingRecorder> logger) : IHostedService
{
    /// <summary>Sampling rate (Hz).</summary>
    public const double SampleHz = 100;

    /// <summary><see cref="TrainingAttemptRecord.EndedBy"/> of an attempt the trainee finished.</summary>
    public const string EndedByFinish = "finish";

    /// <summary><see cref="TrainingAttemptRecord.EndedBy"/> of an attempt ended by its task's time limit.</summary>
    public const string EndedByTimeLimit = "timeLimit";

    /// <summary><see cref="TrainingAttemptRecord.EndedBy"/> of an attempt ended because the service stopped.</summary>
    public const string EndedByServiceStopping = "serviceStopping";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TrainingAttemptRecord> _finished = new(StringComparer.Ordinal);
    private TrainingRecording? _running;

    /// <summary>The tasks.</summary>
    public TrainingCatalog Catalog => catalog;

    /// <summary>Why attempts cannot be made now (not sim mode, no tasks, the rig not up), or null when they can.</summary>
    public string? Unavailable()
    {
        if (monitor.Mode != "sim")
        {
            return $"Training mode runs on the simulated arm, and this service's controller mode is '{monitor.Mode}': start the service with "
                + "--controller sim (and --teleop-key FILE, so that the console drives the arm).";
        }

        if (catalog.Error is { } error)
        {
            return error;
        }

        return monitor.Rig is null ? "The simulated arm is not running (starting or stopping); try again in a few seconds." : null;
    }

    /// <summary>
    /// Starts an attempt at <paramref name="task"/> for <paramref name="user"/> from the arm's current position, placing the
    /// task at the arm's home tool tip. Returns the running attempt, or (null, why) while another attempt runs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The simulated arm is not running (<see cref="Unavailable"/> says so first).</exception>
    public (TrainingAttemptView? Attempt, string? Conflict) Start(TrainingTask task, string user)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentException.ThrowIfNullOrEmpty(user);
        SimulatedRig rig = monitor.Rig ?? throw new InvalidOperationException("The simulated arm is not running.");
        lock (_gate)
        {
            if (_running is { } other)
            {
                return (null, $"{other.User} is running training attempt {other.Id} ({other.Exercise.Id}, started {other.StartedUtc:O}); "
                    + $"one attempt at a time: wait until it is finished (at the latest after its {other.Exercise.TimeLimitS:0} s).");
            }

            RobotModel robot = rig.Robot;
            Vec3 homeTipM = robot.ForwardKinematics(robot.HomeRad).Position;
            var run = new TrainingRecording(Guid.NewGuid().ToString("N"), task.PlacedAt(homeTipM), user, time.GetUtcNow(), rig, SampleHz);
            run.TakeSample(); // the first sample now: every attempt has at least one
            _running = run;
            var sampler = new Thread(() => SampleLoop(run)) { IsBackground = true, Name = "training-recorder" };
            run.Thread = sampler;
            sampler.Start();
            return (ViewOf(run), null);
        }
    }

    /// <summary>
    /// Finishes attempt <paramref name="id"/>: stops its sampling, scores and stores it. Returns the finished attempt and
    /// whether this call finished it (false when it had already been finished), or (null, false) for an attempt this
    /// service run does not know.
    /// </summary>
    public (TrainingAttemptRecord? Attempt, bool FinishedNow) Finish(string id)
    {
        TrainingRecording? run;
        lock (_gate)
        {
            if (_finished.TryGetValue(id, out TrainingAttemptRecord? done))
            {
                return (done, false);
            }

            run = _running is { } r && r.Id == id ? r : null;
        }

        if (run is null)
        {
            return (null, false);
        }

        // Not under the gate: the sampler may be completing the attempt itself (time limit), which takes the gate.
        run.RequestStop();
        run.Thread?.Join();
        TrainingAttemptRecord attempt = Complete(run, EndedByFinish, out bool created);
        return (attempt, created);
    }

    /// <summary>Attempt <paramref name="id"/> of this service run, running or finished, or null.</summary>
    public TrainingAttemptView? Find(string id)
    {
        lock (_gate)
        {
            if (_running is { } run && run.Id == id)
            {
                return ViewOf(run);
            }

            return _finished.TryGetValue(id, out TrainingAttemptRecord? done) ? TrainingAttemptView.Of(done, catalog.Find(done.Task)) : null;
        }
    }

    /// <summary>The running attempt, or null.</summary>
    public TrainingAttemptView? Current()
    {
        lock (_gate)
        {
            return _running is { } run ? ViewOf(run) : null;
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Finishes (scores and stores) a running attempt, so that stopping the service loses none.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        TrainingRecording? run;
        lock (_gate)
        {
            run = _running;
        }

        if (run is not null)
        {
            run.RequestStop();
            run.Thread?.Join();
            Complete(run, EndedByServiceStopping, out _);
        }

        return Task.CompletedTask;
    }

    // The sampler thread: a sample every 1/SampleHz on a steady schedule (a late sample moves the schedule on rather than
    // bunching up the next ones; the scorer resamples by time), until stopped or past the task's time limit.
    private void SampleLoop(TrainingRecording run)
    {
        long period = (long)(System.Diagnostics.Stopwatch.Frequency / SampleHz);
        long next = run.StartTicks;
        bool timeUp = false;
        try
        {
            while (!run.StopRequested)
            {
                next += period;
                long wait = next - System.Diagnostics.Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    Thread.Sleep(TimeSpan.FromSeconds((double)wait / System.Diagnostics.Stopwatch.Frequency));
                }
                else
                {
                    next = System.Diagnostics.Stopwatch.GetTimestamp();
                }

                if (run.StopRequested)
                {
                    break;
                }

                run.TakeSample();
                if (run.ElapsedS >= run.Exercise.TimeLimitS)
                {
                    timeUp = true;
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The rig went away (the service stopping): the attempt keeps the samples it has.
            LogSamplingStopped(logger, run.Id, ex.Message);
        }

        if (timeUp)
        {
            try
            {
                Complete(run, EndedByTimeLimit, out _);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
            {
                // Not stored (the data directory refused it): the attempt stays running, and the trainee's finish tries again.
                LogSamplingStopped(logger, run.Id, ex.Message);
            }
        }
    }

    // Scores and stores the attempt once (whoever comes first: the trainee, the time limit, the service stopping).
    // The sampler has stopped: it is either this thread or joined.
    private TrainingAttemptRecord Complete(TrainingRecording run, string endedBy, out bool created)
    {
        lock (run.Gate)
        {
            if (run.Record is { } done)
            {
                created = false;
                return done;
            }

            TrainingScore score = TrainingScorer.Score(run.Exercise, CollectionsMarshal.AsSpan(run.Samples), run.Violations);
            var attempt = new TrainingAttemptRecord
            {
                Id = run.Id,
                Task = run.Exercise.Id,
                User = run.User,
                StartedUtc = run.StartedUtc,
                FinishedUtc = time.GetUtcNow(),
                EndedBy = endedBy,
                HomeTipM = run.Exercise.OriginM.ToArray(),
                Score = score,
            };
            store.Add(attempt);
            run.Record = attempt;
            lock (_gate)
            {
                if (ReferenceEquals(_running, run))
                {
                    _running = null;
                }

                _finished[run.Id] = attempt;
            }

            if (endedBy != EndedByFinish)
            {
                // The trainee's own finish is audited by the API with the request; these have no request.
                audit.RecordSystem("trainingFinished", ("attempt", run.Id), ("task", run.Exercise.Id), ("account", run.User), ("endedBy", endedBy),
                    ("score", score.Score.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));
            }

            LogFinished(logger, run.Id, run.User, run.Exercise.Id, endedBy, score.Score);
            created = true;
            return attempt;
        }
    }

    private static TrainingAttemptView ViewOf(TrainingRecording run) => new()
    {
        Id = run.Id,
        Task = run.Exercise.Id,
        User = run.User,
        Status = TrainingAttemptView.Running,
        StartedUtc = run.StartedUtc,
        ElapsedS = run.ElapsedS,
        TimeLimitS = run.Exercise.TimeLimitS,
        Samples = run.SampleCount,
        Geometry = TrainingGeometry.Of(run.Exercise),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training attempt {Attempt}: sampling stopped ({Reason})")]
    private static partial void LogSamplingStopped(ILogger logger, string attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training attempt {Attempt} of {User} at {Task} finished ({EndedBy}): score {Score}")]
    private static partial void LogFinished(ILogger logger, string attempt, string user, string task, string endedBy, double score);
}
