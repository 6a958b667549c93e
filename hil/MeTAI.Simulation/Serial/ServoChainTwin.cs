using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using MeTAI.Robotics.Dynamixel;

namespace MeTAI.Simulation.Serial;

/// <summary>
/// A chain of simulated XM430 servos behind a pseudo-terminal, speaking Dynamixel Protocol 2.0: Ping, Read, Write,
/// Sync Read, Sync Write, Reboot (others answer with an instruction error), decoded and encoded by the twin's own
/// <see cref="Protocol2Decoder"/> and <see cref="Protocol2Encoder"/>, not the controller's codec. Frames with a bad CRC
/// are dropped like a real servo does. Fault hooks for HIL scenarios: <see cref="StopResponding"/>, <see cref="CorruptNextBytes"/>,
/// <see cref="CorruptNextReplies"/>, <see cref="CorruptAll"/>, <see cref="DropNextReplies"/>, <see cref="DropNextBytes"/>, <see cref="DelayReplies"/>, and per
/// servo <see cref="XmServoTwin.SetHardwareError"/>, <see cref="XmServoTwin.Stick"/>, <see cref="XmServoTwin.SetResponding"/>
/// and <see cref="XmServoTwin.SetEncoderNoise"/>. With <see cref="Recording"/> on, goal writes and torque changes are
/// kept as <see cref="BusEvent"/>s. Start/stop with <see cref="Start"/>/<see cref="Dispose"/>.
/// </summary>
public sealed partial class ServoChainTwin : IDisposable
{
    private readonly ServoChainOptions _options;
    private readonly PseudoTerminal _pty;
    private readonly Protocol2Decoder _reader = new(4096);
    private readonly XmServoTwin[] _servos;
    private readonly byte[] _rx = new byte[4096];
    private readonly byte[] _tx = new byte[1024];
    private readonly byte[] _data = new byte[512];
    private Thread? _thread;
    private volatile bool _running;
    private volatile bool _silent;
    private readonly Lock _silenceLock = new();
    private int _silences;
    private int _corruptBytes;
    private int _dropReplies;
    private int _dropBytes;
    private int _corruptReplies;
    private volatile bool _corruptAll;
    private volatile bool _muteReads;
    private volatile bool _clearWire;
    private long _delayTicks;
    private readonly ConcurrentQueue<BusEvent> _events = new();
    private volatile bool _recording;
    private long _corruptedBytes;
    private long _previousReadTicks;
    private readonly WireTiming _wire;
    private long _droppedBytes;
    private long _instructions;
    private long _torqueOffTicks;
    private long _syncWrites;
    private long _instructionReadTicks;
    private long _replyWrittenTicks;

    /// <summary>Creates the chain and its pty (not started).</summary>
    public ServoChainTwin(ServoChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _servos = [.. options.Servos.Select(s => new XmServoTwin(s, options.ModelNumber, options.Firmware))];
        _pty = new PseudoTerminal();
        _wire = new WireTiming(options.BaudRate, options.ReturnDelayUs);
        if (options.PowerRelay is { } relay)
        {
            Relay = new PowerRelayTwin(relay, SetServoPower);
            // The board starts unarmed: no motor power until the controller arms and feeds it.
            SetServoPower(false, Stopwatch.GetTimestamp());
        }
    }


    /// <summary>The serial device the controller opens.</summary>
    public string SlavePath => _pty.SlavePath;

    /// <summary>The servos, in the order given.</summary>
    public IReadOnlyList<XmServoTwin> Servos => _servos;

    /// <summary>Instruction packets received with a valid CRC.</summary>
    public long Instructions => Interlocked.Read(ref _instructions);

    /// <summary>Instruction packets dropped for a bad CRC.</summary>
    public long CrcErrors => _reader.CrcErrors;

    /// <summary>Sync Writes received.</summary>
    public long SyncWrites => Interlocked.Read(ref _syncWrites);

    /// <summary>Stopwatch ticks of the last packet that turned torque off on any servo (0: none).</summary>
    public long TorqueOffTicks => Interlocked.Read(ref _torqueOffTicks);

    /// <summary>
    /// Stopwatch ticks when the pty read that brought the last instruction returned, and when the last reply's bytes were
    /// handed to the pty (0: none yet) — with the controller's own transaction times, where a round trip's time goes
    /// (<c>metai bench servo-bus</c>).
    /// </summary>
    public (long InstructionRead, long ReplyWritten) LastTicks => (Volatile.Read(ref _instructionReadTicks), Volatile.Read(ref _replyWrittenTicks));

    /// <summary>The servo with <paramref name="id"/>.</summary>
    public XmServoTwin Servo(byte id) => _servos.First(s => s.Id == id);

    /// <summary>True when the serving thread obtained SCHED_FIFO (<see cref="ServoChainOptions.RealtimePriority"/>).</summary>
    public bool RealtimeObtained { get; private set; }

    /// <summary>Starts the thread serving the bus.</summary>
    public void Start()
    {
        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "servo-chain-twin" };
        _thread.Start();
    }

    private void Run()
    {
        if (_options.RealtimePriority is int priority)
        {
            RealtimeObtained = MeTAI.Robotics.Control.PreciseSleeper.TrySetRealtimePriority(priority);
        }

        long last = Stopwatch.GetTimestamp();
        long pollTicks = Stopwatch.Frequency / 50;
        while (_running)
        {
            _previousReadTicks = last;
            int timeoutMs = _rogue is null ? FlushDelayedReplies() : Math.Min(1, FlushDelayedReplies());
            int n = _pty.Read(_rx, timeoutMs);
            long now = Stopwatch.GetTimestamp();
            AdvanceRogue(now);
            long stall = now - last - 2 * pollTicks;
            last = now;
            ServeRelay(n, now);
            foreach (XmServoTwin s in _servos)
            {
                if (stall > 0)
                {
                    s.ForgiveStall(stall);
                }

                s.CheckWatchdog(now);
            }

            if (n <= 0)
            {
                continue;
            }

            _reader.Append(_rx.AsSpan(0, n));
            while (_reader.TryTake(out Protocol2Packet frame))
            {
                if (_silent || frame.IsStatus)
                {
                    continue;
                }

                if (!_wire.Instruction(10 + frame.Parameters.Length, Stopwatch.GetTimestamp()))
                {
                    continue; // collided on the half-duplex wire: no servo heard it
                }

                Interlocked.Increment(ref _instructions);
                Volatile.Write(ref _instructionReadTicks, now);
                Handle(frame);
            }
        }
    }

    private void Handle(Protocol2Packet f)
    {
        long now = Stopwatch.GetTimestamp();
        bool broadcast = f.Id == Protocol2.Broadcast;
        foreach (XmServoTwin s in _servos)
        {
            if ((broadcast || s.Id == f.Id) && Hears(s))
            {
                s.NoteInstruction(now);
            }
        }

        ReadOnlySpan<byte> p = f.Parameters;
        switch (f.Instruction)
        {
            case Protocol2.Ping:
                foreach (XmServoTwin s in _servos)
                {
                    if (broadcast || s.Id == f.Id)
                    {
                        Span<byte> info = _data.AsSpan(0, 3);
                        s.TryRead(XmControlTable.ModelNumber, 2, info);
                        info[2] = _options.Firmware;
                        Reply(s.Id, s.StatusError(), info);
                    }
                }

                break;
            case Protocol2.Read or Protocol2.SyncRead when _muteReads:
                break;
            case Protocol2.Read when p.Length == 4 && !broadcast:
                {
                    XmServoTwin? s = Find(f.Id);
                    ushort address = BinaryPrimitives.ReadUInt16LittleEndian(p);
                    ushort length = BinaryPrimitives.ReadUInt16LittleEndian(p[2..]);
                    if (s is not null)
                    {
                        Span<byte> d = _data.AsSpan(0, Math.Min(length, (ushort)_data.Length));
                        bool ok = s.TryRead(address, length, d);
                        Reply(s.Id, ok ? s.StatusError() : Protocol2.DataRangeError, ok ? d : []);
                    }

                    break;
                }

            case Protocol2.Write when p.Length >= 3:
                {
                    ushort address = BinaryPrimitives.ReadUInt16LittleEndian(p);
                    foreach (XmServoTwin s in _servos)
                    {
                        if (broadcast || s.Id == f.Id)
                        {
                            bool wasOn = s.TorqueEnabled;
                            byte error = Hears(s) ? s.Write(address, p[2..]) : (byte)0;
                            NoteTorqueOff(wasOn, s);
                            if (!broadcast)
                            {
                                Reply(s.Id, (byte)(error | s.StatusError()), []);
                            }
                        }
                    }

                    break;
                }

            case Protocol2.SyncRead when broadcast && p.Length >= 5:
                {
                    ushort address = BinaryPrimitives.ReadUInt16LittleEndian(p);
                    ushort length = BinaryPrimitives.ReadUInt16LittleEndian(p[2..]);
                    foreach (byte id in p[4..])
                    {
                        XmServoTwin? s = Find(id);
                        Span<byte> d = _data.AsSpan(0, Math.Min(length, (ushort)_data.Length));
                        if (s is not null && s.TryRead(address, length, d))
                        {
                            Reply(s.Id, s.StatusError(), d);
                        }
                    }

                    break;
                }

            case Protocol2.SyncWrite when broadcast && p.Length >= 4:
                {
                    ushort address = BinaryPrimitives.ReadUInt16LittleEndian(p);
                    ushort length = BinaryPrimitives.ReadUInt16LittleEndian(p[2..]);
                    Interlocked.Increment(ref _syncWrites);
                    int[]? goals = _recording && address == XmControlTable.GoalPosition && length == 4 ? new int[_servos.Length] : null;
                    for (int k = 4; k + 1 + length <= p.Length; k += 1 + length)
                    {
                        XmServoTwin? s = Find(p[k]);
                        if (s is not null)
                        {
                            if (Hears(s))
                            {
                                bool wasOn = s.TorqueEnabled;
                                s.Write(address, p.Slice(k + 1, length));
                                NoteTorqueOff(wasOn, s);
                            }

                            if (goals is not null)
                            {
                                // What the controller sent (the goal-steps judge checks its commands), heard or not.
                                goals[Array.IndexOf(_servos, s)] = BinaryPrimitives.ReadInt32LittleEndian(p.Slice(k + 1, 4));
                            }
                        }
                    }

                    if (goals is not null)
                    {
                        _events.Enqueue(new BusEvent(now, BusEventKind.GoalWrite, 0, goals, _previousReadTicks));
                    }

                    break;
                }

            case Protocol2.Reboot:
                foreach (XmServoTwin s in _servos)
                {
                    if ((broadcast || s.Id == f.Id) && Hears(s))
                    {
                        s.Reboot();
                        if (!broadcast)
                        {
                            Reply(s.Id, 0, []);
                        }
                    }
                }

                break;
            default:
                if (!broadcast && Find(f.Id) is { } target)
                {
                    Reply(target.Id, Protocol2.InstructionError, []);
                }

                break;
        }
    }

    // Stamped after the write took effect, not when the frame's handling began: a broadcast torque-off reaches the servos
    // one after the other, and a trace sample taken between two of them (stamped after the frame began) must not see a
    // servo still on after its recorded torque-off (campaign seed 1744406: "torque came back on" at the same instant).
    private void NoteTorqueOff(bool wasOn, XmServoTwin s)
    {
        bool isOn = s.TorqueEnabled;
        if (wasOn == isOn)
        {
            return;
        }

        long applied = Stopwatch.GetTimestamp();
        if (!isOn)
        {
            Interlocked.Exchange(ref _torqueOffTicks, applied);
        }

        if (_recording)
        {
            _events.Enqueue(new BusEvent(applied, isOn ? BusEventKind.TorqueOn : BusEventKind.TorqueOff, s.Id, null, _previousReadTicks));
        }
    }

    private XmServoTwin? Find(byte id)
    {
        foreach (XmServoTwin s in _servos)
        {
            if (s.Id == id)
            {
                return s;
            }
        }

        return null;
    }

    private void Reply(byte id, byte error, ReadOnlySpan<byte> parameters)
    {
        if (_dropReplies > 0 && Interlocked.Decrement(ref _dropReplies) >= 0)
        {
            return;
        }

        if (Find(id) is { IsSilent: true })
        {
            return;
        }

        int n = Protocol2Encoder.Status(_tx, id, error, parameters);
        GarbleIfMismatched(id, _tx.AsSpan(0, n));
        for (int i = 0; i < n; i++)
        {
            if (_corruptAll || (Volatile.Read(ref _corruptBytes) > 0 && Interlocked.Decrement(ref _corruptBytes) >= 0))
            {
                _tx[i] ^= 0x10;
                Interlocked.Increment(ref _corruptedBytes);
            }
        }

        if (n > 9 && Volatile.Read(ref _corruptReplies) > 0 && Interlocked.Decrement(ref _corruptReplies) >= 0)
        {
            // The error byte (after FF FF FD 00 ID LEN LEN 55): covered by the CRC, never part of the header.
            _tx[8] ^= 0x10;
            Interlocked.Increment(ref _corruptedBytes);
        }

        int start = 0;
        while (start < n && Volatile.Read(ref _dropBytes) > 0 && Interlocked.Decrement(ref _dropBytes) >= 0)
        {
            // Drop from the head of the frame: the controller sees a frame without its header, then the rest.
            start++;
            Interlocked.Increment(ref _droppedBytes);
        }

        // On the wire after the instruction and the servo's Return Delay Time, for its length at the baud rate; a slow reply
        // path (a fault) adds its delay, in order, while instructions are still heard at once.
        long delay = Interlocked.Read(ref _delayTicks);
        if (!_wire.Timed && delay == 0 && _wire.Pending == 0 && !_wire.ForeignAt(Stopwatch.GetTimestamp()))
        {
            _pty.Write(_tx.AsSpan(start, n - start));
            Volatile.Write(ref _replyWrittenTicks, Stopwatch.GetTimestamp());
            return;
        }

        _wire.Reply(_tx.AsSpan(start, n - start), Stopwatch.GetTimestamp(), delay);
    }

    // Writes the delayed replies that are due; returns how long the next read may wait (ms).
    // Writes the replies that are due; returns how long the next read may wait (ms). A reply due within 2 ms is waited
    // for precisely here (poll's millisecond resolution would add up to a millisecond to every transaction).
    private int FlushDelayedReplies()
    {
        if (_clearWire)
        {
            _clearWire = false;
            _wire.Clear();
        }

        long wait;
        while ((wait = _wire.Flush(_pty, Stopwatch.GetTimestamp())) >= 0 && wait < 2 * Stopwatch.Frequency / 1000)
        {
            MeTAI.Robotics.Control.PreciseSleeper.SleepUntil(Stopwatch.GetTimestamp() + wait, 0);
        }

        Volatile.Write(ref _replyWrittenTicks, Math.Max(_replyWrittenTicks, _wire.LastWriteTicks));

        // While the relay has power on, wake every millisecond: its watchdog's clock (power must go off on time even
        // when the bus has fallen silent, e.g. the controller was killed).
        int idleMs = Relay is { PowerOn: true } ? 1 : 20;
        return wait < 0 ? idleMs : Math.Clamp((int)(wait * 1000 / Stopwatch.Frequency), 1, idleMs);
    }

    /// <summary>Stops the thread and closes the pty.</summary>
    public void Dispose()
    {
        _running = false;
        _thread?.Join(2000);
        _pty.Dispose();
    }
}
