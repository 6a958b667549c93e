using System.Buffers.Binary;
using System.Diagnostics;
using MeTAI.Robotics.Dynamixel;

namespace MeTAI.Simulation.Serial;

/// <summary>
/// One simulated XM430: its control table (Torque Enable, Hardware Error Status, Bus Watchdog, Goal/Present
/// Position …) and second-order position dynamics — a first-order approach to the goal (τ) whose speed is limited by
/// the velocity limit and Profile Velocity and whose change of speed is limited by the acceleration limit — integrated
/// lazily at each access in steps of at most 1 ms. Fault hooks: a hardware error (torque drops, the alert bit shows
/// in every status), a stuck joint, encoder noise, a servo that stops answering. The bus watchdog trips when no
/// instruction arrives for its time: the servo stops and refuses goals until it is cleared.
/// Accessed only from the chain's thread, except the fault hooks, which take the lock.
/// </summary>
public sealed class XmServoTwin
{
    private readonly ServoTwinOptions _options;
    private readonly byte[] _table = new byte[XmControlTable.Size];
    private readonly Lock _lock = new();
    private double _position;
    private double _velocity;
    private long _lastTicks;
    private long _lastPacketTicks;
    private bool _stuck;
    private int _noiseCounts;
    private volatile bool _silent;
    private volatile bool _baudMismatch;
    private bool _unpowered;
    private readonly Random _noise;

    internal XmServoTwin(ServoTwinOptions options, ushort model, byte firmware)
    {
        _options = options;
        BinaryPrimitives.WriteUInt16LittleEndian(_table.AsSpan(XmControlTable.ModelNumber), model);
        _table[XmControlTable.FirmwareVersion] = firmware;
        _table[XmControlTable.Id] = options.Id;
        _position = options.InitialPositionCounts;
        BinaryPrimitives.WriteInt32LittleEndian(_table.AsSpan(XmControlTable.GoalPosition), options.InitialPositionCounts);
        _lastTicks = Stopwatch.GetTimestamp();
        _lastPacketTicks = _lastTicks;
        _noiseCounts = options.EncoderNoiseCounts;
        _noise = new Random(options.NoiseSeed * 7919 + options.Id);
    }

    /// <summary>True position (counts, unrounded, no encoder noise) after integrating up to now: the ground truth a HIL trace records.</summary>
    public double TruePositionCounts
    {
        get
        {
            lock (_lock)
            {
                Advance(Stopwatch.GetTimestamp());
                return _position;
            }
        }
    }

    /// <summary>True when the servo has been told not to answer (<see cref="SetResponding"/>).</summary>
    public bool IsSilent => _silent;

    /// <summary>True while the servo runs at another baud rate than the bus (<see cref="SetBaudMismatch"/>).</summary>
    public bool BaudMismatched => _baudMismatch;

    /// <summary>
    /// Fault hook: the servo switches to another baud rate than the bus, or back: it understands nothing it hears and its
    /// answers arrive as garbage (the chain applies both).
    /// </summary>
    public void SetBaudMismatch(bool on) => _baudMismatch = on;

    /// <summary>Fault hook: the servo stops answering (a broken reply line) but still obeys what it hears, or answers again.</summary>
    public void SetResponding(bool responding) => _silent = !responding;

    /// <summary>Fault hook: encoder noise of ±<paramref name="counts"/> on every reported Present Position (0: none).</summary>
    public void SetEncoderNoise(int counts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(counts);
        lock (_lock)
        {
            _noiseCounts = counts;
        }
    }

    /// <summary>
    /// Back to a healthy servo at rest (HIL runs reusing one chain): no error, not stuck, answering, no extra noise
    /// (<paramref name="noiseCounts"/>), watchdog disarmed, torque off, goal = present position.
    /// </summary>
    public void ResetFaults(int noiseCounts = 0)
    {
        lock (_lock)
        {
            Advance(Stopwatch.GetTimestamp());
            _stuck = false;
            _silent = false;
            _baudMismatch = false;
            _noiseCounts = noiseCounts;
            _velocity = 0;
            _table[XmControlTable.HardwareErrorStatus] = 0;
            _table[XmControlTable.TorqueEnable] = 0;
            _table[XmControlTable.BusWatchdog] = 0;
            BinaryPrimitives.WriteInt32LittleEndian(_table.AsSpan(XmControlTable.GoalPosition), (int)Math.Round(_position));
        }
    }

    /// <summary>Dynamixel ID.</summary>
    public byte Id => _options.Id;

    /// <summary>True while the servo has motor power (the power relay's contacts are closed).</summary>
    public bool MotorPowered
    {
        get
        {
            lock (_lock)
            {
                return !_unpowered;
            }
        }
    }

    // The power relay switched motor power. Off: torque drops at once and cannot come back, goals are stored but move
    // nothing (the electronics stay on, as with a safe-torque-off input: the servo still answers and reports its position).
    // On again: the servo starts as after a reboot, torque off and its bus watchdog clear.
    // atTicks: when power changed (the relay's timer may have expired a little before its thread noticed); the servo
    // moves under power up to then, not beyond, unless it was already read past that moment.
    internal void SetMotorPower(bool on, long atTicks)
    {
        lock (_lock)
        {
            Advance(Math.Max(atTicks, _lastTicks));
            _unpowered = !on;
            _velocity = 0;
            _table[XmControlTable.TorqueEnable] = 0;
            if (on)
            {
                _table[XmControlTable.BusWatchdog] = 0;
            }
        }
    }

    /// <summary>Torque on?</summary>
    public bool TorqueEnabled
    {
        get
        {
            lock (_lock)
            {
                return _table[XmControlTable.TorqueEnable] != 0;
            }
        }
    }

    /// <summary>Present position (counts), after integrating up to now.</summary>
    public int PresentCounts
    {
        get
        {
            lock (_lock)
            {
                Advance(Stopwatch.GetTimestamp());
                return (int)Math.Round(_position);
            }
        }
    }

    /// <summary>Goal position (counts).</summary>
    public int GoalCounts
    {
        get
        {
            lock (_lock)
            {
                return BinaryPrimitives.ReadInt32LittleEndian(_table.AsSpan(XmControlTable.GoalPosition));
            }
        }
    }

    /// <summary>Hardware Error Status.</summary>
    public byte HardwareError
    {
        get
        {
            lock (_lock)
            {
                return _table[XmControlTable.HardwareErrorStatus];
            }
        }
    }

    /// <summary>True when the bus watchdog has tripped (reads −1).</summary>
    public bool WatchdogTripped
    {
        get
        {
            lock (_lock)
            {
                Advance(Stopwatch.GetTimestamp());
                return _table[XmControlTable.BusWatchdog] == 0xFF;
            }
        }
    }

    /// <summary>Goal writes accepted.</summary>
    public long GoalWrites { get; private set; }

    /// <summary>Fault hook: latch a hardware error (bits of Hardware Error Status); torque drops as on the real servo.</summary>
    public void SetHardwareError(byte bits)
    {
        lock (_lock)
        {
            Advance(Stopwatch.GetTimestamp());
            _table[XmControlTable.HardwareErrorStatus] = bits;
            if (bits != 0)
            {
                _table[XmControlTable.TorqueEnable] = 0;
            }
        }
    }

    /// <summary>Fault hook: the joint stops moving (mechanical jam) while the servo keeps answering.</summary>
    public void Stick(bool stuck)
    {
        lock (_lock)
        {
            Advance(Stopwatch.GetTimestamp());
            _stuck = stuck;
        }
    }

    /// <summary>Fault hook: moves the present position (e.g. a push by hand while torque is off).</summary>
    public void SetPresentCounts(int counts)
    {
        lock (_lock)
        {
            _position = counts;
            _velocity = 0;
            _lastTicks = Stopwatch.GetTimestamp();
        }
    }

    // The twin's thread was descheduled for a while: a servo's microcontroller never is, so the time the twin could not
    // run does not count towards the bus watchdog (packets sent meanwhile are waiting in the pty).
    internal void ForgiveStall(long stallTicks)
    {
        lock (_lock)
        {
            _lastPacketTicks += stallTicks;
        }
    }

    internal void CheckWatchdog(long now)
    {
        lock (_lock)
        {
            Advance(now);
        }
    }

    internal void NoteInstruction(long now)
    {
        lock (_lock)
        {
            Advance(now);
            _lastPacketTicks = now;
        }
    }

    internal byte StatusError()
    {
        lock (_lock)
        {
            return _table[XmControlTable.HardwareErrorStatus] != 0 ? XmControlTable.StatusAlertBit : (byte)0;
        }
    }

    internal bool TryRead(ushort address, ushort length, Span<byte> destination)
    {
        if (address + length > _table.Length)
        {
            return false;
        }

        lock (_lock)
        {
            Advance(Stopwatch.GetTimestamp());
            int noise = _noiseCounts > 0 ? _noise.Next(-_noiseCounts, _noiseCounts + 1) : 0;
            BinaryPrimitives.WriteInt32LittleEndian(_table.AsSpan(XmControlTable.PresentPosition), (int)Math.Round(_position) + noise);
            // Present Velocity in the register's unit (0.229 rev/min), from the integrated speed (counts/s).
            BinaryPrimitives.WriteInt32LittleEndian(_table.AsSpan(XmControlTable.PresentVelocity),
                (int)Math.Round(_velocity * 60 / XmControlTable.CountsPerRevolution / XmControlTable.ProfileVelocityUnitRpm));
            _table.AsSpan(address, length).CopyTo(destination);
            return true;
        }
    }

    /// <summary>Applies a write; returns the status error byte (0x04 data-range error for a refused write).</summary>
    internal byte Write(ushort address, ReadOnlySpan<byte> data)
    {
        if (address + data.Length > _table.Length)
        {
            return 0x04;
        }

        lock (_lock)
        {
            Advance(Stopwatch.GetTimestamp());
            for (int k = 0; k < data.Length; k++)
            {
                int a = address + k;
                byte v = data[k];
                if (a == XmControlTable.TorqueEnable)
                {
                    // Torque cannot come on while a hardware error is latched, nor without motor power.
                    if (v != 0 && (_table[XmControlTable.HardwareErrorStatus] != 0 || _unpowered))
                    {
                        continue;
                    }

                    _table[a] = v == 0 ? (byte)0 : (byte)1;
                }
                else if (a == XmControlTable.BusWatchdog)
                {
                    _table[a] = v;
                }
                else if (a >= XmControlTable.GoalPosition && a < XmControlTable.GoalPosition + 4)
                {
                    if (_table[XmControlTable.BusWatchdog] == 0xFF)
                    {
                        return 0x04;
                    }

                    _table[a] = v;
                    if (a == XmControlTable.GoalPosition + 3)
                    {
                        GoalWrites++;
                    }
                }
                else if (a is XmControlTable.HardwareErrorStatus or >= XmControlTable.PresentVelocity or < XmControlTable.TorqueEnable)
                {
                    // Read-only here (EEPROM and status areas).
                }
                else
                {
                    _table[a] = v;
                }
            }

            return 0;
        }
    }

    internal void Reboot()
    {
        lock (_lock)
        {
            Advance(Stopwatch.GetTimestamp());
            _table[XmControlTable.HardwareErrorStatus] = 0;
            _table[XmControlTable.TorqueEnable] = 0;
            _table[XmControlTable.BusWatchdog] = 0;
        }
    }

    // Called with the lock held.
    // now may lie before _lastTicks: callers stamp it before taking the lock, and another thread may have advanced the
    // servo meanwhile. No time has passed for the servo then; it must not count as a stop (that once zeroed the
    // velocity on every such race, and under load every joint crawled at the acceleration limit's pace).
    private void Advance(long now)
    {
        if (now <= _lastTicks)
        {
            return;
        }

        double dt = (now - _lastTicks) / (double)Stopwatch.Frequency;
        _lastTicks = now;
        byte watchdog = _table[XmControlTable.BusWatchdog];
        if (watchdog is > 0 and < 0x80
            && now - _lastPacketTicks > watchdog * XmControlTable.BusWatchdogUnitMs * Stopwatch.Frequency / 1000)
        {
            // Bus watchdog: stop here and refuse goals until the watchdog is cleared.
            _table[XmControlTable.BusWatchdog] = 0xFF;
            BinaryPrimitives.WriteInt32LittleEndian(_table.AsSpan(XmControlTable.GoalPosition), (int)Math.Round(_position));
        }

        if (_stuck || _unpowered || _table[XmControlTable.TorqueEnable] == 0)
        {
            _velocity = 0;
            return;
        }

        int goal = BinaryPrimitives.ReadInt32LittleEndian(_table.AsSpan(XmControlTable.GoalPosition));
        double maxVelocity = _options.MaxVelocityCountsPerS;
        uint profile = BinaryPrimitives.ReadUInt32LittleEndian(_table.AsSpan(XmControlTable.ProfileVelocity));
        if (profile > 0)
        {
            // Profile Velocity: the servo's own speed limit (0.229 rev/min units).
            maxVelocity = Math.Min(maxVelocity, profile * XmControlTable.ProfileVelocityUnitRpm / 60.0 * XmControlTable.CountsPerRevolution);
        }

        double accel = _options.MaxAccelerationCountsPerS2;
        if (dt > 1.0)
        {
            // A long gap (nobody looked): the servo has long since settled as far as its limits let it.
            dt = 1.0;
        }

        while (dt > 0)
        {
            double h = Math.Min(dt, 0.001);
            dt -= h;

            // First-order approach to the goal (exact over the sub-step), then speed and acceleration limits.
            double step = (goal - _position) * (1 - Math.Exp(-h / _options.TimeConstantS));
            double v = Math.Clamp(step / h, -maxVelocity, maxVelocity);
            if (accel > 0)
            {
                v = Math.Clamp(v, _velocity - accel * h, _velocity + accel * h);
            }

            _velocity = v;
            _position += v * h;
        }
    }
}
