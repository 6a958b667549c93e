using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Training;
using MeTAI.Simulation;

namespace MeTAI.Service.Training;

/// <summary>
/// One running attempt of <see cref="TrainingRecorder"/>: its task (placed at the home tip), its samples and counters.
/// Samples are taken by one thread at a time (the request that starts it, then its sampler thread); the rest is read
/// once the sampler has stopped.
/// </summary>
internal sealed class TrainingRecording
{
    private readonly double[] _commandRad;
    private readonly double[] _measuredRad;
    private readonly Corridor? _corridorM;
    private bool _violating;
    private int _sampleCount;
    private int _stop;

    public TrainingRecording(string id, TrainingTask exercise, string user, DateTimeOffset startedUtc, SimulatedRig rig, double sampleHz)
    {
        Id = id;
        Exercise = exercise;
        User = user;
        StartedUtc = startedUtc;
        Rig = rig;
        int joints = rig.Controller.Outputs.JointCount;
        _commandRad = new double[joints];
        _measuredRad = new double[joints];
        _corridorM = rig.Controller.Core.CorridorRobot;
        Samples = new List<TrainingSample>((int)Math.Min(exercise.TimeLimitS * sampleHz + 64, 1_000_000));
        StartTicks = Stopwatch.GetTimestamp();
    }

    public string Id { get; }

    /// <summary>The task, placed at the arm's home tool tip.</summary>
    public TrainingTask Exercise { get; }

    public string User { get; }

    public DateTimeOffset StartedUtc { get; }

    public SimulatedRig Rig { get; }

    /// <summary>Stopwatch timestamp of the start: sample times count from here.</summary>
    public long StartTicks { get; }

    public List<TrainingSample> Samples { get; }

    /// <summary>Raises of the CorridorViolation interlock seen so far (one already raised at the start counts once).</summary>
    public int Violations { get; private set; }

    public Thread? Thread { get; set; }

    public Lock Gate { get; } = new();

    /// <summary>The stored attempt, once completed.</summary>
    public TrainingAttemptRecord? Record { get; set; }

    public int SampleCount => Volatile.Read(ref _sampleCount);

    public double ElapsedS => Stopwatch.GetElapsedTime(StartTicks).TotalSeconds;

    public bool StopRequested => Volatile.Read(ref _stop) != 0;

    public void RequestStop() => Volatile.Write(ref _stop, 1);

    /// <summary>One sample: the controller's outputs (a consistent copy), the tip through forward kinematics.</summary>
    public void TakeSample()
    {
        ControllerSnapshot s = Rig.Controller.Outputs.Read(_commandRad, _measuredRad);
        double t = Stopwatch.GetElapsedTime(StartTicks).TotalSeconds;
        Vec3 tipM = Rig.Robot.ForwardKinematics(_measuredRad).Position;
        bool violating = (s.Interlocks & Interlocks.CorridorViolation) != 0;
        if (violating && !_violating)
        {
            Violations++;
        }

        _violating = violating;
        Samples.Add(new TrainingSample(t, tipM, s.ForceMasterN.Length, _corridorM?.Contains(tipM) ?? true));
        Volatile.Write(ref _sampleCount, Samples.Count);
    }
}
