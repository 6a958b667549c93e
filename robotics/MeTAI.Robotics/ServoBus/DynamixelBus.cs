using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Ports;
using MeTAI.Robotics.Dynamixel;

namespace MeTAI.Robotics.ServoBus;

/// <summary>
/// A Dynamixel Protocol 2.0 bus on a serial device (a USB adapter or a twin's pty): on Linux through a descriptor of its
/// own (<see cref="PosixSerialLink"/>: the bytes move on the calling thread, at its priority), elsewhere through
/// System.IO.Ports. The bus has one owner: one thread (the servo IO thread) runs every transaction and writes every
/// packet, torque off included, because the wire is half-duplex (RS-485/TTL) and a packet written while a servo's
/// status reply is on the wire garbles both. Safety writes get priority without a second writer: any thread may ask for
/// one (<see cref="RequestSafetyWrite"/>), and the owner then gives up the transaction it is waiting on at the first
/// moment the wire is quiet (<see cref="DynamixelBusOptions.ReturnDelayUs"/> plus three byte times without a byte, so
/// no servo is mid-reply), skips its retries, and writes the safety packet next (<see cref="WriteSafety"/>). Replies
/// with a bad CRC are counted and dropped, never acted on; a missing reply is retried.
/// </summary>
public sealed partial class DynamixelBus : IDisposable
{
    private readonly DynamixelBusOptions _options;
    private readonly SerialPort? _port;
    private PosixSerialLink? _link;
    private readonly Lock _writeLock = new();
    private readonly DynamixelFrameReader _reader = new(4096);
    private readonly byte[] _tx = new byte[1024];
    private readonly byte[] _rx = new byte[1024];
    private readonly byte[] _params = new byte[512];
    private readonly long _quietTicks;
    private readonly long _safetyMaxWaitTicks;
    private int _safetyPending;
    private long _safetyRequestTicks;
    private bool _preempted;
    private long _lastByteTicks;
    private long _sendStartTicks;
    private long _sendDoneTicks;
    private long _firstReplyTicks;
    private long _crcErrorsAtRequest;
    private bool _lostToCrc;

    /// <summary>Creates the bus (the port is opened by <see cref="Open"/>).</summary>
    public DynamixelBus(DynamixelBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        // Quiet long enough that the next servo of a Sync Read would already have begun its reply: its Return Delay Time
        // plus three byte times (10 bits each), and one poll interval (100 µs) for the time it takes us to look.
        _quietTicks = (long)((options.ReturnDelayUs + 100 + 3 * 10 * 1e6 / options.BaudRate) * 1e-6 * Stopwatch.Frequency);
        _safetyMaxWaitTicks = (long)(options.SafetyWriteMaxWaitUs * 1e-6 * Stopwatch.Frequency);
        if (options.OwnDescriptor)
        {
            if (!OperatingSystem.IsLinux())
            {
                throw new ArgumentException($"serial {options.PortName}: a descriptor of the bus's own needs Linux.");
            }

            if (PosixSerialLink.SpeedConstant(options.BaudRate) is null)
            {
                throw new ArgumentException($"serial {options.PortName}: {options.BaudRate} baud is not a rate the Linux tty driver names (Dynamixel rates: 9600, 57600, 115200, 1000000, 2000000, 3000000, 4000000).");
            }

            return;
        }

        _port = new SerialPort(options.PortName, options.BaudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = 500,
            WriteTimeout = WriteTimeoutMs,
            ReadBufferSize = 8192,
        };
    }

    /// <summary>Counters.</summary>
    public BusStatistics Statistics { get; } = new();

    /// <summary>Options in use.</summary>
    public DynamixelBusOptions Options => _options;

    /// <summary>
    /// Stopwatch ticks when the last request's write call began and returned, and when the first bytes of its reply were
    /// taken from the port (0: none yet). Set by the thread running transactions, for it to read (where the time of a
    /// transaction goes: <c>metai bench servo-bus</c>).
    /// </summary>
    public (long SendStart, long SendDone, long FirstReply) LastTransactionTicks => (_sendStartTicks, _sendDoneTicks, _firstReplyTicks);

    /// <summary>True when the bus uses its own descriptor rather than System.IO.Ports (<see cref="DynamixelBusOptions.OwnDescriptor"/>).</summary>
    public bool HasOwnDescriptor => _port is null;

    /// <summary>True once opened.</summary>
    public bool IsOpen => _link is not null || _port?.IsOpen == true;

    /// <summary>Opens the port.</summary>
    public void Open()
    {
        if (_port is null)
        {
            _link = PosixSerialLink.Open(_options.PortName, _options.BaudRate);
        }
        else
        {
            _port.Open();
            _port.DiscardInBuffer();
        }
    }

    /// <summary>
    /// Asks the owner for a safety write (any thread, no allocation): the transaction it waits on is given up at the
    /// first quiet moment of the wire and its retries skipped, so <see cref="WriteSafety"/> comes next.
    /// </summary>
    public void RequestSafetyWrite()
    {
        if (Interlocked.Exchange(ref _safetyPending, 1) == 0)
        {
            Volatile.Write(ref _safetyRequestTicks, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>
    /// No retry begins at or after these Stopwatch ticks (0: no limit). The bus's owner sets it around a transaction that
    /// must not hold the half-duplex wire past a safety transaction due then — the power relay's read-back of the wired
    /// e-stop loop: a Sync Read that nobody answers would otherwise take its 1 + <see cref="DynamixelBusOptions.Retries"/>
    /// reply timeouts (30 ms shipped) before the read-back could go out (campaign seed 56551805: EStop 40 ms after the
    /// e-stop cable was cut while the servos answered no read, bound 30).
    /// </summary>
    public long RetryUntilTicks { get; set; }

    // Whether attempt number `attempt` of a transaction may go out: within the retries, no safety write waiting, and a
    // retry only before RetryUntilTicks.
    private bool MayAttempt(int attempt) =>
        attempt <= _options.Retries && !SafetyWritePending && (attempt == 0 || RetryUntilTicks == 0 || Stopwatch.GetTimestamp() < RetryUntilTicks);

    /// <summary>True while a safety write is asked for and not yet written.</summary>
    public bool SafetyWritePending => Volatile.Read(ref _safetyPending) != 0;

    /// <summary>Stopwatch ticks when the pending safety write was asked for (0: none pending).</summary>
    public long SafetyRequestTicks => SafetyWritePending ? Volatile.Read(ref _safetyRequestTicks) : 0;

    /// <summary>
    /// Writes a prepared packet that expects no reply (broadcast torque off) now, on the owner's thread, and clears a
    /// pending safety request. Only the bus's owner calls it (or anyone once the owner has stopped).
    /// </summary>
    public void WriteSafety(ReadOnlySpan<byte> packet)
    {
        Volatile.Write(ref _safetyPending, 0);
        Send(packet);
        _lastByteTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>Pings <paramref name="id"/>; returns false when it does not answer.</summary>
    public bool Ping(byte id, out ushort modelNumber, out byte firmware)
    {
        modelNumber = 0;
        firmware = 0;
        int n = DynamixelPacket.WriteInstruction(_tx, id, DynamixelInstruction.Ping, []);
        for (int attempt = 0; MayAttempt(attempt); attempt++)
        {
            CountRetry(attempt);
            ResetInput();
            SendRequest(_tx.AsSpan(0, n));
            if (TryReceiveStatus(id, out byte error, out int length) && length >= 3)
            {
                modelNumber = BinaryPrimitives.ReadUInt16LittleEndian(_rx);
                firmware = _rx[2];
                CountError(error);
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads <paramref name="data"/>.Length bytes at <paramref name="address"/> of one servo.</summary>
    public bool Read(byte id, ushort address, Span<byte> data, out byte error)
    {
        error = 0;
        Span<byte> p = _params.AsSpan(0, 4);
        DynamixelPacket.WriteAddressLength(p, address, (ushort)data.Length);
        int n = DynamixelPacket.WriteInstruction(_tx, id, DynamixelInstruction.Read, p);
        for (int attempt = 0; MayAttempt(attempt); attempt++)
        {
            CountRetry(attempt);
            ResetInput();
            SendRequest(_tx.AsSpan(0, n));
            if (TryReceiveStatus(id, out error, out int length) && length == data.Length)
            {
                _rx.AsSpan(0, length).CopyTo(data);
                CountError(error);
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="address"/>; waits for the status unless broadcast.</summary>
    public bool Write(byte id, ushort address, ReadOnlySpan<byte> data, out byte error)
    {
        error = 0;
        int n = BuildWrite(_tx, id, address, data, _params);
        if (id == DynamixelInstruction.BroadcastId)
        {
            Send(_tx.AsSpan(0, n));
            return true;
        }

        for (int attempt = 0; MayAttempt(attempt); attempt++)
        {
            CountRetry(attempt);
            ResetInput();
            SendRequest(_tx.AsSpan(0, n));
            if (TryReceiveStatus(id, out error, out _))
            {
                CountError(error);
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes one byte (Torque Enable, Bus Watchdog…).</summary>
    public bool WriteByte(byte id, ushort address, byte value, out byte error)
    {
        Span<byte> one = [value];
        return Write(id, address, one, out error);
    }

    /// <summary>
    /// Sync Write: the same <paramref name="length"/> bytes at <paramref name="address"/> for each of
    /// <paramref name="ids"/>; <paramref name="data"/> holds them back to back. No reply.
    /// </summary>
    public void SyncWrite(ushort address, ushort length, ReadOnlySpan<byte> ids, ReadOnlySpan<byte> data)
    {
        int n = BuildSyncWrite(_tx, address, length, ids, data, _params);
        Send(_tx.AsSpan(0, n));
    }

    /// <summary>
    /// Sync Read of <paramref name="length"/> bytes at <paramref name="address"/> from each of <paramref name="ids"/>.
    /// Fills <paramref name="data"/> (back to back), <paramref name="errors"/> and <paramref name="received"/>; returns
    /// how many devices answered. Retries the whole read when some are missing.
    /// </summary>
    public int SyncRead(ushort address, ushort length, ReadOnlySpan<byte> ids, Span<byte> data, Span<byte> errors, Span<bool> received)
    {
        Span<byte> p = _params.AsSpan(0, 4 + ids.Length);
        DynamixelPacket.WriteAddressLength(p, address, length);
        ids.CopyTo(p[4..]);
        int n = DynamixelPacket.WriteInstruction(_tx, DynamixelInstruction.BroadcastId, DynamixelInstruction.SyncRead, p);
        received.Clear();
        int got = 0;
        for (int attempt = 0; MayAttempt(attempt) && got < ids.Length; attempt++)
        {
            CountRetry(attempt);
            ResetInput();
            SendRequest(_tx.AsSpan(0, n));
            got = ReceiveMany(ids, length, data, errors, received, got);
        }

        return got;
    }

    // A request that expects a reply: sent like any packet, with its times kept (LastTransactionTicks).
    private void SendRequest(ReadOnlySpan<byte> packet)
    {
        long start = Stopwatch.GetTimestamp();
        Send(packet);
        _sendStartTicks = start;
        _sendDoneTicks = Stopwatch.GetTimestamp();
        _firstReplyTicks = 0;
        _preempted = false;
        _lostToCrc = false;
        _crcErrorsAtRequest = _reader.CrcErrors;
        // The instruction is on the wire for its length after the driver took it: the wire is quiet only after that.
        _lastByteTicks = _sendDoneTicks + (long)(packet.Length * 10.0 / _options.BaudRate * Stopwatch.Frequency);
    }

    private void Send(ReadOnlySpan<byte> packet)
    {
        lock (_writeLock)
        {
            PosixSerialLink? link = _link;
            if (link is not null)
            {
                link.Write(packet, WriteTimeoutMs);
            }
            else
            {
                OpenPort().BaseStream.Write(packet);
            }
        }

        Interlocked.Add(ref Statistics._bytesWritten, packet.Length);
    }

    private bool TryReceiveStatus(byte id, out byte error, out int length)
    {
        Interlocked.Increment(ref Statistics._transactions);
        long deadline = Stopwatch.GetTimestamp() + _options.ReplyTimeoutMs * Stopwatch.Frequency / 1000;
        while (true)
        {
            while (_reader.TryRead(out DynamixelFrame frame))
            {
                if (frame.IsStatus && frame.Id == id)
                {
                    error = frame.Error;
                    length = frame.Parameters.Length;
                    frame.Parameters.CopyTo(_rx);
                    Statistics.CrcErrors = _reader.CrcErrors;
                    return true;
                }
            }

            Statistics.CrcErrors = _reader.CrcErrors;
            // One device answers a request: a reply that failed its CRC was this one, and nothing else is coming.
            if (!Fill(deadline, lost: _reader.CrcErrors > _crcErrorsAtRequest))
            {
                CountTimeout();
                error = 0;
                length = 0;
                return false;
            }
        }
    }

    private int ReceiveMany(ReadOnlySpan<byte> ids, ushort length, Span<byte> data, Span<byte> errors, Span<bool> received, int got)
    {
        Interlocked.Increment(ref Statistics._transactions);
        long deadline = Stopwatch.GetTimestamp() + _options.ReplyTimeoutMs * Stopwatch.Frequency / 1000;
        while (got < ids.Length)
        {
            while (got < ids.Length && _reader.TryRead(out DynamixelFrame frame))
            {
                if (!frame.IsStatus || frame.Parameters.Length != length)
                {
                    continue;
                }

                int index = ids.IndexOf(frame.Id);
                if (index < 0 || received[index])
                {
                    continue;
                }

                frame.Parameters.CopyTo(data.Slice(index * length, length));
                errors[index] = frame.Error;
                CountError(frame.Error);
                received[index] = true;
                got++;
            }

            Statistics.CrcErrors = _reader.CrcErrors;
            // Every device has answered, some with a reply that failed its CRC: nothing else is coming.
            if (got < ids.Length && !Fill(deadline, lost: got + (_reader.CrcErrors - _crcErrorsAtRequest) >= ids.Length))
            {
                CountTimeout();
                break;
            }
        }

        return got;
    }

    // Waits (polling the driver's input count every ~100 µs) until bytes arrive or the deadline passes, then reads
    // what is there. A SerialPort.Read that times out leaves a cancelled request in System.IO.Ports' Unix I/O queue
    // that can swallow the next reply, so reads are only issued once data is waiting. A pending safety write ends the
    // wait as soon as the wire is quiet (no servo mid-reply), or after SafetyWriteMaxWaitUs whatever the wire does (a
    // babbling device must not hold the torque off back). With lost (the replies asked for are all in, some failed their
    // CRC) it gives up once the wire has been quiet as long as a safety write waits (a retry sent into trailing bytes
    // would collide with them): a corrupted reply costs its own length, not the whole reply timeout (campaign seed
    // 57929711: a burst of 24 corrupted replies held the relay's read-back, and the wired e-stop's detection, for 30 ms).
    private bool Fill(long deadline, bool lost = false)
    {
        long pollTicks = Stopwatch.Frequency / 10_000;
        int available;
        while ((available = BytesToRead) == 0)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= deadline)
            {
                return false;
            }

            if (SafetyWritePending && (now - _lastByteTicks >= _quietTicks || now - Volatile.Read(ref _safetyRequestTicks) >= _safetyMaxWaitTicks))
            {
                _preempted = true;
                Interlocked.Increment(ref Statistics._safetyPreemptions);
                return false;
            }

            if (lost && now - _lastByteTicks >= _quietTicks)
            {
                _lostToCrc = true;
                Interlocked.Increment(ref Statistics._lostToCrc);
                return false;
            }

            Control.PreciseSleeper.SleepUntil(Math.Min(deadline, now + pollTicks), 0);
        }

        if (_firstReplyTicks == 0)
        {
            _firstReplyTicks = Stopwatch.GetTimestamp();
        }

        int space = Math.Min(_rx.Length, _reader.FreeSpace);
        int want = Math.Max(1, Math.Min(space, available));
        PosixSerialLink? link = _link;
        int n = link is not null ? link.Read(_rx.AsSpan(0, want)) : OpenPort().Read(_rx, 0, want);
        if (n > 0)
        {
            _lastByteTicks = Stopwatch.GetTimestamp();
            _reader.Append(_rx.AsSpan(0, n));
            Interlocked.Add(ref Statistics._bytesRead, n);
        }

        return true;
    }

    private int BytesToRead => _link?.BytesToRead ?? (_port is { IsOpen: true } p ? p.BytesToRead : 0);

    // The port of the System.IO.Ports path; closed (by Dispose, from another thread) is an InvalidOperationException,
    // which the IO thread counts as a port error, never a crash.
    private SerialPort OpenPort() => _port is { IsOpen: true } p ? p : throw new InvalidOperationException($"serial {_options.PortName}: the bus is closed.");

    // System.IO.Ports' WriteTimeout, and the own descriptor's wait for room in the driver's queue.
    private const int WriteTimeoutMs = 100;

    // Bytes still waiting belong to an earlier, timed-out request: drop them so they are never taken for this reply.
    private void ResetInput()
    {
        _reader.Clear();
        if (BytesToRead > 0)
        {
            PosixSerialLink? link = _link;
            if (link is not null)
            {
                link.DiscardInBuffer();
            }
            else
            {
                OpenPort().DiscardInBuffer();
            }
        }
    }

    private void CountRetry(int attempt)
    {
        if (attempt > 0)
        {
            Interlocked.Increment(ref Statistics._retries);
        }
    }

    // A wait given up for a safety write, or because the reply had come corrupted, is not the servo's timeout.
    private void CountTimeout()
    {
        if (!_preempted && !_lostToCrc)
        {
            Interlocked.Increment(ref Statistics._timeouts);
        }
    }

    private void CountError(byte error)
    {
        if ((error & 0x7F) != 0)
        {
            Interlocked.Increment(ref Statistics._errorReplies);
        }
    }

    /// <summary>Closes the port.</summary>
    public void Dispose()
    {
        _link?.Dispose();
        _link = null;
        if (_port is { IsOpen: true })
        {
            _port.Close();
        }

        _port?.Dispose();
    }
}
