using System.Buffers.Binary;
using System.Diagnostics;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.ServoBus;

/// <summary>
/// The servo IO thread: owns the <see cref="DynamixelBus"/>, so the 1 kHz loop never waits on a serial round trip.
/// Each iteration it Sync-Writes the newest goals from <see cref="Commands"/> (if torque is on), Sync-Reads present
/// positions into <see cref="Feedback"/>, and every few iterations reads Hardware Error Status and Bus Watchdog.
/// Power-up runs here on request. This thread is the bus's only writer (the wire is half-duplex): torque off asked for
/// by another thread (<see cref="TorqueOffNow"/>) preempts the transaction in flight at the wire's first quiet moment
/// (<see cref="DynamixelBus.RequestSafetyWrite"/>) and is written next, then again every
/// <see cref="ServoIoOptions.TorqueOffRepeatMs"/> while torque is off.
/// </summary>
public sealed partial class ServoIo : ITorqueOffWriter, IServoPower, IDisposable
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
    private readonly uint[]? _profileVelocity;
    private Thread? _thread;
    private volatile bool _running;
    private volatile bool _torqueOn;
    private int _torqueOffPending;
    private int _powerUp;
    private long _acceptAfterVersion = long.MaxValue;
    private long _lastSentVersion;
    private long _lastLatencySequence;
    private long _sentCycle = -1;
    private long _previousSentCycle = -1;
    private bool _watchdogTripped;
    private long _torqueOffWrittenTicks;
    private long _torqueOffRequestTicks;
    private long _torqueOffCount;
    private readonly long[] _torqueOffRequested = new long[TorqueOffLogLength];
    private readonly long[] _torqueOffWritten = new long[TorqueOffLogLength];
    private const int TorqueOffLogLength = 64;
    private long _iterations;
    private long _goalWrites;
    private long _ioErrors;
    private long _torqueOffRepeats;

    /// <summary>Creates the IO worker for the servos <paramref name="ids"/> (joint order).</summary>
    /// <param name="bus">The bus (opened by <see cref="Start"/> if needed).</param>
    /// <param name="ids">Servo IDs in joint order.</param>
    /// <param name="options">IO options.</param>
    /// <param name="profileVelocity">Profile Velocity per servo written at power-up, so each servo itself never
    /// exceeds its joint's speed limit even if goals arrive in a burst after a stall; none leaves it unset.</param>
    public ServoIo(DynamixelBus bus, IReadOnlyList<byte> ids, ServoIoOptions? options = null, IReadOnlyList<uint>? profileVelocity = null)
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
        if (profileVelocity is not null && profileVelocity.Count != n)
        {
            throw new ArgumentException("One Profile Velocity per servo.", nameof(profileVelocity));
        }

        _profileVelocity = profileVelocity is null ? null : [.. profileVelocity];
        _relayPeriodTicks = (long)(_options.RelayFeedMs * 1e-3 * Stopwatch.Frequency);
        _relayOffTicks = (long)(_options.RelayOffMs * 1e-3 * Stopwatch.Frequency);
        _loopStallTicks = (long)(_options.LoopStallMs * 1e-3 * Stopwatch.Frequency);
        _feedStoppedTicks = Stopwatch.GetTimestamp();
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

    /// <summary>Asked-for torque off → on the wire, for every request written (µs): the priority write's latency.</summary>
    public Histogram TorqueOffLatency { get; } = new(200_000, 10);

    /// <summary>Stopwatch ticks of the last torque-off write that answered a request (0: none).</summary>
    public long TorqueOffWrittenTicks => Interlocked.Read(ref _torqueOffWrittenTicks);

    /// <summary>Torque-off writes that answered a request so far.</summary>
    public long TorqueOffCount => Interlocked.Read(ref _torqueOffCount);

    /// <summary>
    /// The last (up to 64) torque-off writes that answered a request, written at or after <paramref name="fromTicks"/>:
    /// when each was asked for and when the IO thread put it on the wire (Stopwatch ticks). For a test that splits a
    /// reaction's time between the IO thread and the wire; the IO thread logs without allocating.
    /// </summary>
    public IReadOnlyList<(long RequestedTicks, long WrittenTicks)> TorqueOffWrites(long fromTicks)
    {
        long n = Interlocked.Read(ref _torqueOffCount);
        var list = new List<(long, long)>();
        for (long k = Math.Max(0, n - TorqueOffLogLength); k < n; k++)
        {
            int i = (int)(k % TorqueOffLogLength);
            long written = Volatile.Read(ref _torqueOffWritten[i]);
            if (written >= fromTicks)
            {
                list.Add((Volatile.Read(ref _torqueOffRequested[i]), written));
            }
        }

        return list;
    }

    /// <summary>Torque-off broadcasts repeated by the IO thread while torque is off.</summary>
    public long TorqueOffRepeats => Interlocked.Read(ref _torqueOffRepeats);

    /// <summary>IO iterations so far.</summary>
    public long Iterations => Interlocked.Read(ref _iterations);

    /// <summary>Port errors (write timeouts, I/O errors) so far.</summary>
    public long IoErrors => Interlocked.Read(ref _ioErrors);

    /// <summary>Goal Sync-Writes so far.</summary>
    public long GoalWrites => Interlocked.Read(ref _goalWrites);

    /// <summary>Why the last power-up failed (empty when it did not).</summary>
    public string PowerUpFailure { get; private set; } = "";

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
    /// <remarks>
    /// No write on the caller's thread: a second writer could start a packet while a servo's status reply is on the
    /// half-duplex wire and garble both. The request preempts the IO thread's transaction at the wire's first quiet
    /// moment, and the IO thread writes torque off before anything else (<see cref="TorqueOffLatency"/> measures it).
    /// With the IO thread stopped, the caller is the only writer left and writes it itself.
    /// </remarks>
    public void TorqueOffNow()
    {
        _torqueOn = false;
        if (Volatile.Read(ref _torqueOffPending) == 0)
        {
            Volatile.Write(ref _torqueOffRequestTicks, Stopwatch.GetTimestamp());
        }

        // The bus's request first, ours second; the IO thread clears them in the opposite order (ours, then the bus's
        // by writing): so the bus is never left asking for a safety write that nobody will make, which would skip
        // every transaction until the next torque off.
        _bus.RequestSafetyWrite();
        Volatile.Write(ref _torqueOffPending, 1);
        if (_thread is null && _bus.IsOpen)
        {
            try
            {
                WritePendingTorqueOff();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
            {
                // A broken port: the servos' own bus watchdog stops them.
                Interlocked.Increment(ref _ioErrors);
            }
        }
    }

    // The priority write: torque off to every servo, with its latency from the request.
    private void WritePendingTorqueOff()
    {
        long requested = Volatile.Read(ref _torqueOffRequestTicks);
        Volatile.Write(ref _torqueOffPending, 0);
        _bus.WriteSafety(_torqueOffPacket.AsSpan(0, _torqueOffLength));
        long written = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref _torqueOffWrittenTicks, written);
        int slot = (int)(Interlocked.Read(ref _torqueOffCount) % TorqueOffLogLength);
        Volatile.Write(ref _torqueOffRequested[slot], requested);
        Volatile.Write(ref _torqueOffWritten[slot], written);
        Interlocked.Increment(ref _torqueOffCount);
        if (requested != 0)
        {
            TorqueOffLatency.RecordTicks(written - requested);
        }
    }

    /// <summary>True if the IO thread obtained SCHED_FIFO.</summary>
    public bool Realtime { get; private set; }

    private void Run()
    {
        if (_options.UseRealtimeScheduling)
        {
            Realtime = PreciseSleeper.TrySetRealtimePriority(70);
        }

        int sinceStatus = 0;
        long repeatTicks = (long)(_options.TorqueOffRepeatMs * 1e-3 * Stopwatch.Frequency);
        long lastTorqueOff = 0;
        while (_running)
        {
            try
            {
                Interlocked.Increment(ref _iterations);
                long now = Stopwatch.GetTimestamp();
                if (Volatile.Read(ref _torqueOffPending) == 1)
                {
                    WritePendingTorqueOff();
                    lastTorqueOff = now;
                }
                else if (!_torqueOn && PowerUp != PowerUpStatus.Running && now - lastTorqueOff > repeatTicks)
                {
                    // While torque should be off, say so again now and then: a servo that missed the broadcast (a cut
                    // cable, a reboot) must not keep holding torque once it hears the bus again.
                    _bus.WriteSafety(_torqueOffPacket.AsSpan(0, _torqueOffLength));
                    lastTorqueOff = now;
                    Interlocked.Increment(ref _torqueOffRepeats);
                }

                if (PowerUp == PowerUpStatus.Running)
                {
                    // A transient bus glitch must not fault the arm at power-up: up to three attempts.
                    for (int attempt = 0; attempt < 3 && !DoPowerUp(lastAttempt: attempt == 2); attempt++)
                    {
                        Thread.Sleep(20);
                    }
                }

                // After the power-up check, never between it and the torque-off check: a torque-off that arrives while the
                // relay's transactions run must not be taken for one requested during the power-up that follows.
                ServiceRelay(now);

                if (_torqueOn)
                {
                    WriteGoals();
                }

                FlushTorqueOff();
                // The relay's read-back goes before each read when due, and a read that goes unanswered retries only until
                // it is due: servos that answer no read must not delay the wired e-stop loop's read-back by their timeouts.
                YieldToRelay();
                ReadPresent();
                FlushTorqueOff();
                if (++sinceStatus >= _options.StatusPollEvery)
                {
                    sinceStatus = 0;
                    YieldToRelay();
                    ReadStatus();
                }

                _bus.RetryUntilTicks = 0;

                WaitForNextCycle(now);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
            {
                // A broken or blocked port: feedback goes stale and the loop raises the servo-bus interlock.
                Interlocked.Increment(ref _ioErrors);
                _bus.RetryUntilTicks = 0;
                Thread.Sleep(5);
            }
        }
    }

    // A torque off asked for during the last transaction goes out before the next one begins.
    private void FlushTorqueOff()
    {
        if (Volatile.Read(ref _torqueOffPending) == 1)
        {
            WritePendingTorqueOff();
        }
    }

    // Paces the bus at the loop's rate (ServoIoOptions.MinCycleUs): returns on the loop's next goal, a torque-off or
    // power-up request, or the cycle's end, whichever comes first, polling every 100 µs.
    private void WaitForNextCycle(long startTicks)
    {
        long end = startTicks + (long)(_options.MinCycleUs * 1e-6 * Stopwatch.Frequency);
        long pollTicks = Stopwatch.Frequency / 10_000;
        while (_running && Volatile.Read(ref _torqueOffPending) == 0 && PowerUp != PowerUpStatus.Running)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= end || (_torqueOn && Commands.Version > Math.Max(_lastSentVersion, _acceptAfterVersion)))
            {
                return;
            }

            PreciseSleeper.SleepUntil(Math.Min(end, now + pollTicks), 0);
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
        _previousSentCycle = _sentCycle < 0 ? stamp.Cycle : _sentCycle;
        _sentCycle = stamp.Cycle;
        Interlocked.Increment(ref _goalWrites);
        // A master on another machine (the browser console) sends 0 for its clock: no latency to measure from it.
        if (motion && stamp.MasterSequence != 0 && stamp.MasterSentTicks != 0 && stamp.MasterSequence != _lastLatencySequence)
        {
            _lastLatencySequence = stamp.MasterSequence;
            HapticToServoLatency.RecordTicks(Stopwatch.GetTimestamp() - stamp.MasterSentTicks);
        }
    }

    private void ReadPresent()
    {
        long requestTicks = Stopwatch.GetTimestamp();
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
            Feedback.Publish(_present, _hwError, errorOr, 0, _watchdogTripped, Stopwatch.GetTimestamp(), requestTicks, _previousSentCycle, _sentCycle);
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

    /// <summary>
    /// Stops the IO thread (torque is left as it is; call <see cref="TorqueOffNow"/> first to power down): a torque off
    /// still pending is written by the thread before it ends, or here once it has.
    /// </summary>
    public void Stop()
    {
        _running = false;
        _thread?.Join(2000);
        _thread = null;
        if (Volatile.Read(ref _torqueOffPending) == 1 && _bus.IsOpen)
        {
            try
            {
                WritePendingTorqueOff();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _ioErrors);
            }
        }
    }

    /// <summary>Stops the thread and closes the bus.</summary>
    public void Dispose()
    {
        Stop();
        _bus.Dispose();
    }
}
