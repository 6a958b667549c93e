using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Transport;

namespace MeTAI.Robotics.Hosting;

/// <summary>
/// A running controller: audit log, serial bus + servo IO thread, control core + 1 kHz loop, MQTT link and publisher.
/// Start with <see cref="StartAsync"/>; stop with <see cref="DisposeAsync"/> (torque off first, then every thread).
/// </summary>
public sealed class ControllerHost : IAsyncDisposable
{
    private readonly ControllerHostOptions _options;
    private AuditLog? _audit;
    private DynamixelBus? _bus;
    private ServoIo? _servo;
    private ControlLoop? _loop;
    private ControllerMqttLink? _link;
    private ControllerPublisher? _publisher;
    private NoGcRegionSteward? _noGc;
    private ControlCore? _core;

    /// <summary>Creates the host (nothing runs yet).</summary>
    public ControllerHost(ControllerHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Topics = new MqttTopics(options.Robot.Name);
        Outputs = new ControllerOutputs(options.Robot.JointCount);
    }

    /// <summary>Inputs from other threads (master, heartbeat, e-stop, commands).</summary>
    public ControllerInputs Inputs { get; } = new();

    /// <summary>Outputs of the loop.</summary>
    public ControllerOutputs Outputs { get; }

    /// <summary>Topics of this robot.</summary>
    public MqttTopics Topics { get; }

    /// <summary>The control core (after start).</summary>
    public ControlCore Core => _core ?? throw new InvalidOperationException("Not started.");

    /// <summary>The loop (after start).</summary>
    public ControlLoop Loop => _loop ?? throw new InvalidOperationException("Not started.");

    /// <summary>The servo IO (after start).</summary>
    public ServoIo Servo => _servo ?? throw new InvalidOperationException("Not started.");

    /// <summary>The MQTT link (after start).</summary>
    public ControllerMqttLink Link => _link ?? throw new InvalidOperationException("Not started.");

    /// <summary>The publisher (after start).</summary>
    public ControllerPublisher Publisher => _publisher ?? throw new InvalidOperationException("Not started.");

    /// <summary>The no-GC region steward (<see cref="ControllerHostOptions.NoGcRegionBytes"/>), or null when off.</summary>
    public NoGcRegionSteward? NoGc => _noGc;

    /// <summary>The audit log, if any.</summary>
    public AuditLog? Audit => _audit;

    /// <summary>Starts everything; the arm stays Disabled until an Enable command.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // System.IO.Ports on Unix completes reads through the thread pool and MQTTnet is async throughout: a pool that
        // grows only slowly under load would stall serial replies by tens of milliseconds, so start it wide enough.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));
        if (_options.AuditPath is not null)
        {
            _audit = new AuditLog(_options.AuditPath);
        }

        _bus = new DynamixelBus(_options.Bus);
        var ids = _options.Robot.Joints.Select(j => j.ServoId).ToArray();
        uint[] profile = [.. _options.Robot.Joints.Select(j => XmControlTable.ProfileVelocityFor(j.MaxVelocityRadS))];
        _servo = new ServoIo(_bus, ids, _options.ServoIo, profile);
        _servo.Start();
        IAuditSink? sink = (_audit, _options.AuditTap) switch
        {
            ({ } log, { } tap) => new TeeAuditSink(log, tap),
            ({ } log, null) => log,
            (null, { } tap) => tap,
            _ => null,
        };
        _core = new ControlCore(_options.Robot, _options.Controller, _options.Teleop, Inputs, Outputs, _servo.Feedback,
            _servo.Commands, _servo, _options.Corridor, sink, _options.Ik, _options.Beam, _options.Unsafe);
        _loop = new ControlLoop(_core, _options.Controller);
        _loop.Start();
        _link = new ControllerMqttLink(_options.Broker, Topics, _options.MasterId, Inputs, beam: _options.Beam is not null);
        await _link.ConnectAsync(cancellationToken).ConfigureAwait(false);
        _noGc = _options.NoGcRegionBytes is { } noGcBytes ? new NoGcRegionSteward(noGcBytes) : null;
        _publisher = new ControllerPublisher(_link, Outputs, TelemetryJson, _noGc);
        _publisher.Start();
    }

    /// <summary>Queues a command as if it came from MQTT (local consoles, tests).</summary>
    public void Command(ControllerCommandKind kind, bool acknowledge = false, IReadOnlyList<double>? jointRad = null) =>
        Inputs.Enqueue(new ControllerCommand { Kind = kind, Acknowledge = acknowledge, Operator = "local", JointRad = jointRad });

    /// <summary>Queues a command as if it came from MQTT.</summary>
    public void Command(ControllerCommand command) => Inputs.Enqueue(command);

    /// <summary>Current supervisor state as published by the loop.</summary>
    public SafetyState State
    {
        get
        {
            Span<double> a = stackalloc double[Outputs.JointCount];
            Span<double> b = stackalloc double[Outputs.JointCount];
            return Outputs.Read(a, b).State;
        }
    }

    /// <summary>Waits until the state is <paramref name="state"/>; false on timeout.</summary>
    public async Task<bool> WaitForStateAsync(SafetyState state, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (State == state)
            {
                return true;
            }

            await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        }

        return State == state;
    }

    /// <summary>Telemetry JSON: state, joints, tool, loop and bus statistics.</summary>
    public string TelemetryJson()
    {
        var cmd = new double[Outputs.JointCount];
        var meas = new double[Outputs.JointCount];
        ControllerSnapshot s = Outputs.Read(cmd, meas);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("state", s.State.ToString());
            w.WriteString("interlocks", s.Interlocks.ToString());
            w.WriteNumber("cycle", s.Cycle);
            WriteArray(w, "commandRad", cmd);
            WriteArray(w, "measuredRad", meas);
            WriteArray(w, "toolM", [s.ToolM.X, s.ToolM.Y, s.ToolM.Z]);
            WriteArray(w, "forceN", [s.ForceMasterN.X, s.ForceMasterN.Y, s.ForceMasterN.Z]);
            if (_loop is not null)
            {
                LoopStatistics l = _loop.Statistics;
                w.WriteStartObject("loop");
                w.WriteNumber("cycles", l.Cycles);
                w.WriteNumber("overruns", l.Overruns);
                w.WriteNumber("jitterP99Us", l.PeriodJitterUs.Percentile(0.99));
                w.WriteNumber("jitterMaxUs", l.PeriodJitterUs.MaxUs);
                w.WriteNumber("stepP99Us", l.StepUs.Percentile(0.99));
                w.WriteNumber("gcPauseMs", l.GcPauseMs);
                w.WriteEndObject();
            }

            if (_servo is not null)
            {
                BusStatistics b = _servo.BusStatistics;
                w.WriteStartObject("bus");
                w.WriteNumber("transactions", b.Transactions);
                w.WriteNumber("timeouts", b.Timeouts);
                w.WriteNumber("crcErrors", b.CrcErrors);
                w.WriteNumber("lostToCrc", b.LostToCrc);
                w.WriteNumber("goalWrites", _servo.GoalWrites);
                w.WriteEndObject();
            }

            w.WriteString("utc", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter w, string name, ReadOnlySpan<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
        {
            w.WriteNumberValue(Math.Round(v, 6));
        }

        w.WriteEndArray();
    }

    /// <summary>Torque off, then stops every thread and closes the port, the link and the audit log.</summary>
    public async ValueTask DisposeAsync()
    {
        _servo?.TorqueOffNow();
        _publisher?.Dispose();
        _noGc?.Dispose();
        _loop?.Dispose();
        _servo?.Dispose();
        if (_link is not null)
        {
            await _link.DisposeAsync().ConfigureAwait(false);
        }

        _audit?.Dispose();
    }
}
