using System.Buffers.Binary;
using System.Diagnostics;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Serial;

namespace MeTAI.Robotics.Control;

/// <summary>
/// The servo IO thread: owns the <see cref="DynamixelBus"/>, so the 1 kHz loop never waits on a serial round trip.
/// Each iteration it Sync-Writes the newest goals from <see cref="Commands"/> (if torque is on), Sync-Reads present
/// positions into <see cref="Feedback"/>, and every few iterations reads Hardware Error Status and Bus Watchdog.
/// Power-up runs here on request. Torque off is written by the caller's thread at once (<see cref="TorqueOffNow"/>)
/// and then repeated by this thread.
/// </summary>
public sealed class ServoIo : ITorqueOffWriter, IServoPower, IDisposable
{
    private const int StatusSpan = XmControlTable.BusWatchdog - XmControlTable.HardwareErrorStatus + 1;

    private readonly DynamixelBus _bus;
    private readonly ServoIoOptions _options;
    private readonly byte[] _ids;
    private readonly byte[] _torqueOffPacket = new byte[32];
    private readonly int _torqueOffLength;
    private readonly int[] _goals;
    private readonly byte[] _goalBytes;
    private readonly int[] _present;
    private readonly int[] _powerUpPresent;
    private readonly byte[] _readBytes;
    private readonly byte[] _statusBytes;
    private readonly byte[] _errors;
    private readonly bool[] _received;
    private readonly byte[] _hwError;
    private Thread? _thread;
    private volatile bool _running;
    private volatile bool _torqueOn;
    private int _torqueOffPending;
    private int _powerUp;
    private long _acceptAfterVersion = long.MaxValue;
    private long _lastSentVersion;
    private long _lastLatencySequence;
    private bool _watchdogTripped;
    private long _torqueOffWrittenTicks;
    private long _torqueOffCount;
    private long _iterations;
    private long _goalWrites;

    /// <summary>Creates the IO worker for the servos <paramref name="ids"/> (joint order).</summary>
    public ServoIo(DynamixelBus bus, IReadOnlyList<byte> ids, ServoIoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(ids);
        _options = options ?? new ServoIoOptions();
        _options.Validate();
        _bus = bus;
        _ids = [.. ids];
        int n = _ids.Length;
        _goals = new int[n];
        _goalBytes = new byte[4 * n];
        _present = new int[n];
        _powerUpPresent = new int[n];
        _readBytes = new byte[4 * n];
        _statusBytes = new byte[StatusSpan * n];
        _errors = new byte[n];
        _received = new bool[n];
        _hwError = new byte[n];
        _torqueOffLength = DynamixelBus.BuildTorqueOff(_torqueOffPacket);
        Feedback = new ServoFeedback(n);
        Commands = new ServoCommandSlot(n, this);
    }

    /// <summary>Latest readings (read by the loop).</summary>
    public ServoFeedback Feedback { get; }

    /// <summary>Goals from the gate (written by the loop).</summary>
    public ServoCommandSlot Commands { get; }

    /// <summary>Bus counters.</summary>
    public BusStatistics BusStatistics => _bus.Statistics;

    /// <summary>Master-sample send → SyncWrite written, for each new master sample that reached the bus (µs).</summary>
    public Histogram HapticToServoLatency { get; } = new(200_000, 10);

    /// <summary>Power-up progress.</summary>
    public PowerUpStatus PowerUp => (PowerUpStatus)Volatile.Read(ref _powerUp);

    /// <summary>True while the IO thread believes torque is on.</summary>
    public bool TorqueOn => _torqueOn;

    /// <summary>Stopwatch ticks of the last immediate torque-off write (0: none).</summary>
    public long TorqueOffWrittenTicks => Interlocked.Read(ref _torqueOffWrittenTicks);

    /// <summary>Immediate torque-off writes so far.</summary>
    public long TorqueOffCount => Interlocked.Read(ref _torqueOffCount);

    /// <summary>IO iterations so far.</summary>
    public long Iterations => Interlocked.Read(ref _iterations);

    /// <summary>Goal Sync-Writes so far.</summary>
    public long GoalWrites => Interlocked.Read(ref _goalWrites);

    /// <summary>Positions (counts) at which torque was enabled by the last power-up.</summary>
    public ReadOnlySpan<int> PowerUpPositions => _powerUpPresent;

    /// <summary>Opens the bus if needed and starts the IO thread.</summary>
    public void Start()
    {
        if (!_bus.IsOpen)
        {
            _bus.Open();
        }

        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "servo-io" };
        _thread.Start();
    }

    /// <summary>Asks for the power-up sequence (ping, clear and arm the bus watchdog, torque on at present position).</summary>
    public void RequestPowerUp() => Volatile.Write(ref _powerUp, (int)PowerUpStatus.Running);

    /// <summary>Forgets a finished power-up result (the loop calls it after consuming the result).</summary>
    public void AcknowledgePowerUp() => Interlocked.CompareExchange(ref _powerUp, (int)PowerUpStatus.Idle, (int)PowerUpStatus.Ready);

    /// <inheritdoc />
    public void TorqueOffNow()
    {
        _torqueOn = false;
        Volatile.Write(ref _torqueOffPending, 1);
        if (_bus.IsOpen)
        {
            try
            {
                _bus.WriteImmediate(_torqueOffPacket.AsSpan(0, _torqueOffLength));
                Interlocked.Exchange(ref _torqueOffWrittenTicks, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref _torqueOffCount);
            }
            catch (IOException)
            {
                // The IO thread repeats it; a broken port also trips the servo bus watchdog.
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private void Run()
    {
        int sinceStatus = 0;
        while (_running)
        {
            try
            {
                Interlocked.Increment(ref _iterations);
                if (Volatile.Read(ref _torqueOffPending) == 1)
                {
                    Volatile.Write(ref _torqueOffPending, 0);
                    _bus.WriteImmediate(_torqueOffPacket.AsSpan(0, _torqueOffLength));
                }

                if (PowerUp == PowerUpStatus.Running)
                {
                    DoPowerUp();
                }

                if (_torqueOn)
                {
                    WriteGoals();
                }

                ReadPresent();
                if (++sinceStatus >= _options.StatusPollEvery)
                {
                    sinceStatus = 0;
                    ReadStatus();
                }
            }
            catch (IOException)
            {
                Thread.Sleep(5);
            }
            catch (InvalidOperationException)
            {
                Thread.Sleep(5);
            }
        }
    }

    private void WriteGoals()
    {
        long version = Commands.Read(_goals, out bool motion, out CommandStamp stamp);
        if (version == _lastSentVersion || version <= _acceptAfterVersion)
        {
            return;
        }

        _lastSentVersion = version;
        for (int i = 0; i < _goals.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_goalBytes.AsSpan(4 * i), _goals[i]);
        }

        if (!_torqueOn)
        {
            return;
        }

        _bus.SyncWrite(XmControlTable.GoalPosition, 4, _ids, _goalBytes);
        Interlocked.Increment(ref _goalWrites);
        if (motion && stamp.MasterSequence != 0 && stamp.MasterSequence != _lastLatencySequence)
        {
            _lastLatencySequence = stamp.MasterSequence;
            HapticToServoLatency.RecordTicks(Stopwatch.GetTimestamp() - stamp.MasterSentTicks);
        }
    }

    private void ReadPresent()
    {
        int got = _bus.SyncRead(XmControlTable.PresentPosition, 4, _ids, _readBytes, _errors, _received);
        int errorOr = 0;
        for (int i = 0; i < _ids.Length; i++)
        {
            if (_received[i])
            {
                _present[i] = BinaryPrimitives.ReadInt32LittleEndian(_readBytes.AsSpan(4 * i));
                errorOr |= _errors[i];
            }
        }

        if (got == _ids.Length)
        {
            Feedback.Publish(_present, _hwError, errorOr, 0, _watchdogTripped, Stopwatch.GetTimestamp());
        }
    }

    private void ReadStatus()
    {
        int got = _bus.SyncRead(XmControlTable.HardwareErrorStatus, StatusSpan, _ids, _statusBytes, _errors, _received);
        if (got == 0)
        {
            return;
        }

        bool tripped = false;
        for (int i = 0; i < _ids.Length; i++)
        {
            if (_received[i])
            {
                _hwError[i] = _statusBytes[StatusSpan * i];
                tripped |= _statusBytes[StatusSpan * i + StatusSpan - 1] == 0xFF;
            }
        }

        _watchdogTripped = tripped;
    }

    private void DoPowerUp()
    {
        bool ok = true;
        for (int i = 0; i < _ids.Length && ok; i++)
        {
            ok = _bus.Ping(_ids[i], out _, out _);
        }

        // Clear a tripped bus watchdog (it reads −1) so goals are accepted again.
        for (int i = 0; i < _ids.Length && ok; i++)
        {
            ok = _bus.WriteByte(_ids[i], XmControlTable.BusWatchdog, 0, out _);
        }

        if (ok)
        {
            ReadStatus();
            for (int i = 0; i < _ids.Length; i++)
            {
                ok &= _hwError[i] == 0;
            }
        }

        ok = ok && _bus.SyncRead(XmControlTable.PresentPosition, 4, _ids, _readBytes, _errors, _received) == _ids.Length;
        if (ok)
        {
            for (int i = 0; i < _ids.Length; i++)
            {
                _present[i] = BinaryPrimitives.ReadInt32LittleEndian(_readBytes.AsSpan(4 * i));
                _powerUpPresent[i] = _present[i];
            }

            _bus.SyncWrite(XmControlTable.GoalPosition, 4, _ids, _readBytes);
            for (int i = 0; i < _ids.Length && ok; i++)
            {
                ok = _bus.WriteByte(_ids[i], XmControlTable.TorqueEnable, 1, out _)
                    && _bus.WriteByte(_ids[i], XmControlTable.BusWatchdog, _options.BusWatchdog20Ms, out _);
            }
        }

        if (ok && Volatile.Read(ref _torqueOffPending) == 0)
        {
            _acceptAfterVersion = Commands.Version;
            _lastSentVersion = _acceptAfterVersion;
            _watchdogTripped = false;
            Feedback.Publish(_present, _hwError, 0, 0, false, Stopwatch.GetTimestamp());
            _torqueOn = true;
            Volatile.Write(ref _powerUp, (int)PowerUpStatus.Ready);
        }
        else
        {
            _torqueOn = false;
            _bus.WriteImmediate(_torqueOffPacket.AsSpan(0, _torqueOffLength));
            Volatile.Write(ref _powerUp, (int)PowerUpStatus.Failed);
        }
    }

    /// <summary>Stops the IO thread (torque is left as it is; call <see cref="TorqueOffNow"/> first to power down).</summary>
    public void Stop()
    {
        _running = false;
        _thread?.Join(2000);
        _thread = null;
    }

    /// <summary>Stops the thread and closes the bus.</summary>
    public void Dispose()
    {
        Stop();
        _bus.Dispose();
    }
}
