using System.Collections.Concurrent;
using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Radiotherapy;

namespace MeTAI.Robotics.Control;

/// <summary>
/// Everything that reaches the control loop from other threads (MQTT callbacks, a local e-stop input): the latest
/// master sample (sequence lock), heartbeat and broker state, the e-stop (software channel and device, with the device's
/// heartbeat), and operator commands (queued; the loop
/// drains them, so the supervisor is only touched by its owning thread). Writers never block the loop.
/// </summary>
public sealed class ControllerInputs
{
    private readonly ConcurrentQueue<ControllerCommand> _commands = new();
    private readonly SeqLockValue<MasterSample> _master = new();
    private long _lastHeartbeatTicks;
    private long _lastPoseTicks;
    private long _lastPoseSequence;
    private long _posesRejected;
    private long _heartbeats;
    private volatile bool _brokerConnected;
    private volatile bool _estopPressed;
    private volatile bool _softwareEStopPressed;
    private volatile bool _deviceEStopPressed;
    private long _lastEStopDeviceTicks;
    private long _lastEStopDeviceSequence;
    private long _estopDeviceMessages;
    private readonly Lock _estopWriter = new();
    private long _estopChangedTicks;
    private long _estopChangedCycle;
    private long _estopPressedTicks;
    private long _estopPressedCycle = -1;
    private int _estopLatch;
    private long _currentCycle;
    private readonly SeqLockValue<LinacReading> _linac = new();
    private readonly SeqLockValue<PatientMotionReading> _patient = new();
    private readonly Lock _linacWriter = new();
    private readonly Lock _patientWriter = new();

    /// <summary>
    /// Writer: a master sample arrived now (one writer at a time, as <see cref="SeqLockValue{T}"/> requires). Only a
    /// sample with a newer sequence number is taken (and refreshes the pose age): a duplicate, a replay or one overtaken
    /// in transit is counted in <see cref="PosesRejected"/> and dropped. A sequence more than
    /// <see cref="SequenceRestartWindow"/> behind the last one is a restarted master and is taken.
    /// </summary>
    public void PublishMaster(in MasterSample sample) => PublishMaster(sample, Stopwatch.GetTimestamp());

    /// <summary>Writer: a master sample arrived at <paramref name="arrivalTicks"/> (simulated time in tests).</summary>
    public void PublishMaster(in MasterSample sample, long arrivalTicks)
    {
        long last = Interlocked.Read(ref _lastPoseSequence);
        if (sample.Sequence <= last && sample.Sequence > last - SequenceRestartWindow)
        {
            Interlocked.Increment(ref _posesRejected);
            return;
        }

        _master.Write(sample);
        Interlocked.Exchange(ref _lastPoseSequence, sample.Sequence);
        Interlocked.Exchange(ref _lastPoseTicks, arrivalTicks);
    }

    /// <summary>How far back a pose sequence number must jump to count as a restarted master rather than a stale sample.</summary>
    public const long SequenceRestartWindow = 10_000;

    /// <summary>Stopwatch ticks when the last master pose with a newer sequence number arrived (0: none yet).</summary>
    public long LastPoseTicks => Interlocked.Read(ref _lastPoseTicks);

    /// <summary>Master samples dropped because their sequence number was not newer than the last one taken.</summary>
    public long PosesRejected => Interlocked.Read(ref _posesRejected);

    /// <summary>Reader: the latest master sample; false when none has arrived.</summary>
    public bool TryReadMaster(out MasterSample sample) => _master.TryRead(out sample);

    /// <summary>Writer: a master heartbeat arrived now.</summary>
    public void Heartbeat() => Heartbeat(Stopwatch.GetTimestamp());

    /// <summary>Writer: a master heartbeat arrived at <paramref name="ticks"/> (simulated time in tests).</summary>
    public void Heartbeat(long ticks)
    {
        Interlocked.Exchange(ref _lastHeartbeatTicks, ticks);
        Interlocked.Increment(ref _heartbeats);
    }

    /// <summary>Stopwatch ticks of the last heartbeat (0: none yet).</summary>
    public long LastHeartbeatTicks => Interlocked.Read(ref _lastHeartbeatTicks);

    /// <summary>Heartbeats received.</summary>
    public long Heartbeats => Interlocked.Read(ref _heartbeats);

    /// <summary>Broker connection state (set by the MQTT link).</summary>
    public bool BrokerConnected
    {
        get => _brokerConnected;
        set => _brokerConnected = value;
    }

    /// <summary>E-stop input state.</summary>
    public bool EStopPressed => _estopPressed;

    /// <summary>Loop cycle current when the e-stop input last changed (for detection-time checks).</summary>
    public long EStopChangedCycle => Interlocked.Read(ref _estopChangedCycle);

    /// <summary>Stopwatch ticks when the e-stop input last changed.</summary>
    public long EStopChangedTicks => Interlocked.Read(ref _estopChangedTicks);

    /// <summary>Stopwatch ticks of the last press (released → pressed), 0 if none.</summary>
    public long EStopPressedTicks => Interlocked.Read(ref _estopPressedTicks);

    /// <summary>Loop cycle current at the last press, −1 if none.</summary>
    public long EStopPressedCycle => Interlocked.Read(ref _estopPressedCycle);

    /// <summary>
    /// Writer: sets the software e-stop input (the shared MQTT e-stop topic of masters and operators, a local button). A
    /// press is also latched for the loop (<see cref="TakeEStopPress"/>), so one that is released again before the loop's
    /// next cycle is not lost. The input reads pressed while this or the e-stop device says pressed.
    /// </summary>
    public void SetEStop(bool pressed)
    {
        lock (_estopWriter)
        {
            _softwareEStopPressed = pressed;
            Apply(pressed, _softwareEStopPressed || _deviceEStopPressed);
        }
    }

    /// <summary>Writer: the e-stop device's state arrived now (see <see cref="EStopDevice(bool, long, long)"/>).</summary>
    public void EStopDevice(bool pressed, long sequence) => EStopDevice(pressed, sequence, Stopwatch.GetTimestamp());

    /// <summary>
    /// Writer: the e-stop device's state arrived at <paramref name="arrivalTicks"/>. Its state sets the device's part of the
    /// e-stop input; a newer sequence number is also its heartbeat (<see cref="LastEStopDeviceTicks"/>, the e-stop watchdog's
    /// input): a duplicate or replay is not. A sequence more than <see cref="SequenceRestartWindow"/> behind is a restarted device.
    /// </summary>
    public void EStopDevice(bool pressed, long sequence, long arrivalTicks)
    {
        lock (_estopWriter)
        {
            long last = Interlocked.Read(ref _lastEStopDeviceSequence);
            if (sequence > last || sequence <= last - SequenceRestartWindow)
            {
                Interlocked.Exchange(ref _lastEStopDeviceSequence, sequence);
                Interlocked.Exchange(ref _lastEStopDeviceTicks, arrivalTicks);
                Interlocked.Increment(ref _estopDeviceMessages);
            }

            _deviceEStopPressed = pressed;
            Apply(pressed, _softwareEStopPressed || _deviceEStopPressed);
        }
    }

    /// <summary>Writer: the e-stop device sent a malformed state: read as pressed (failing safe), and no heartbeat.</summary>
    public void EStopDeviceMalformed()
    {
        lock (_estopWriter)
        {
            _deviceEStopPressed = true;
            Apply(true, true);
        }
    }

    /// <summary>Stopwatch ticks when the e-stop device's last state with a newer sequence number arrived (0: none yet).</summary>
    public long LastEStopDeviceTicks => Interlocked.Read(ref _lastEStopDeviceTicks);

    /// <summary>E-stop device states taken as heartbeats (newer sequence numbers).</summary>
    public long EStopDeviceMessages => Interlocked.Read(ref _estopDeviceMessages);

    // Under _estopWriter: a press message latches for the loop; the input follows the OR of both sources.
    private void Apply(bool pressMessage, bool pressed)
    {
        if (pressMessage)
        {
            if (!_estopPressed)
            {
                Interlocked.Exchange(ref _estopPressedTicks, Stopwatch.GetTimestamp());
                Interlocked.Exchange(ref _estopPressedCycle, Interlocked.Read(ref _currentCycle));
            }

            Volatile.Write(ref _estopLatch, 1);
        }

        if (_estopPressed == pressed)
        {
            return;
        }

        Interlocked.Exchange(ref _estopChangedTicks, Stopwatch.GetTimestamp());
        Interlocked.Exchange(ref _estopChangedCycle, Interlocked.Read(ref _currentCycle));
        _estopPressed = pressed;
    }

    /// <summary>Loop: was the e-stop pressed at any moment since the last call, even if released again since?</summary>
    public bool TakeEStopPress() => Interlocked.Exchange(ref _estopLatch, 0) == 1;

    /// <summary>Writer: queues an operator command for the loop.</summary>
    public void Enqueue(ControllerCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _commands.Enqueue(command);
    }

    /// <summary>Loop: next queued command.</summary>
    public bool TryDequeue(out ControllerCommand? command) => _commands.TryDequeue(out command);

    /// <summary>Writer: the linac's status arrived now (beam on, requested beam, last gate sequence it acted on).</summary>
    public void SetLinacState(bool on, int beam, long gateSequence) => SetLinacState(on, beam, gateSequence, Stopwatch.GetTimestamp());

    /// <summary>Writer: the linac's status arrived at <paramref name="ticks"/> (simulated time in tests).</summary>
    public void SetLinacState(bool on, int beam, long gateSequence, long ticks)
    {
        lock (_linacWriter)
        {
            _linac.Write(new LinacReading(on, beam, gateSequence, ticks));
        }
    }

    /// <summary>Reader: the linac's last status (default, with zero ticks, when none arrived).</summary>
    public LinacReading Linac
    {
        get
        {
            _linac.TryRead(out LinacReading r);
            return r;
        }
    }

    /// <summary>Writer: a patient-motion reading arrived now (target displacement, patient LPS mm).</summary>
    public void SetPatientDisplacement(Vec3 displacementMm) => SetPatientDisplacement(displacementMm, Stopwatch.GetTimestamp());

    /// <summary>Writer: a patient-motion reading arrived at <paramref name="ticks"/> (simulated time in tests).</summary>
    public void SetPatientDisplacement(Vec3 displacementMm, long ticks)
    {
        lock (_patientWriter)
        {
            _patient.Write(new PatientMotionReading(displacementMm, ticks));
        }
    }

    /// <summary>Reader: the last patient-motion reading (default, with zero ticks, when none arrived).</summary>
    public PatientMotionReading Patient
    {
        get
        {
            _patient.TryRead(out PatientMotionReading r);
            return r;
        }
    }

    /// <summary>Loop: publishes its current cycle (for input timestamps in cycles).</summary>
    internal void SetCycle(long cycle) => Interlocked.Exchange(ref _currentCycle, cycle);
}
