using System.Diagnostics;

namespace MeTAI.Simulation.Serial;

/// <summary>
/// The time bytes take on the servo chain's half-duplex wire: an instruction occupies it for its length at the baud rate
/// (10 bits a byte: start, 8 data, stop), and each status reply leaves after the servo's Return Delay Time once the wire
/// is free and occupies it for its own length. Replies wait here (in a preallocated ring, no allocation per reply) until
/// their last byte would have arrived, then go to the pty together — so the controller sees the bus's real
/// transaction rate instead of the CPU's, and its IO thread sleeps while the wire is busy. A slow reply path
/// (<see cref="ServoChainTwin.DelayReplies"/>) adds its delay on top.
/// The wire is half-duplex: an instruction the master sends while a reply (or a foreign transmission,
/// <see cref="Foreign"/>) is on the wire corrupts both — the reply's bytes from that moment on arrive garbled and the
/// instruction reaches no servo (a collision, counted in <see cref="Collisions"/>). Owned by the chain's thread; the
/// collision count and time may be read from any thread.
/// </summary>
internal sealed class WireTiming
{
    private readonly byte[] _ring = new byte[1 << 16];
    private readonly Queue<WireFrame> _frames = new(256);
    private readonly Random _garble = new(19);
    private readonly long _byteTicks100;
    private readonly long _returnDelayTicks;
    private int _head;
    private int _tail;
    private int _used;
    private long _wireFreeTicks;
    private long _masterFreeTicks;
    private readonly (long From, long Until)[] _foreign = new (long, long)[8]; // the latest foreign transmissions, a ring
    private int _foreignLast;
    private long _collisions;
    private long _lastCollisionTicks;

    // A transmission waiting in the ring: where its bytes are, when it is on the wire, when it reaches the pty.
    private readonly record struct WireFrame(int Offset, int Length, long StartTicks, long EndTicks, long Due);

    /// <summary>A wire at <paramref name="baudRate"/> (null: bytes take no time and replies leave at once).</summary>
    public WireTiming(int? baudRate, double returnDelayUs)
    {
        // Ticks per byte × 100 (integer arithmetic, sub-tick precision over a frame).
        _byteTicks100 = baudRate is int baud ? 10L * 100 * Stopwatch.Frequency / baud : 0;
        _returnDelayTicks = baudRate is null ? 0 : (long)(returnDelayUs * 1e-6 * Stopwatch.Frequency);
    }

    /// <summary>True when bytes take time on the wire (a baud rate was given).</summary>
    public bool Timed => _byteTicks100 > 0;

    /// <summary>Replies waiting for their time on the wire.</summary>
    public int Pending => _frames.Count;

    /// <summary>Collisions so far: instructions that met a reply or a foreign transmission on the wire.</summary>
    public long Collisions => Interlocked.Read(ref _collisions);

    /// <summary>Stopwatch ticks when the last collision began on the wire (0: none).</summary>
    public long LastCollisionTicks => Interlocked.Read(ref _lastCollisionTicks);

    /// <summary>
    /// An instruction of <paramref name="length"/> bytes was heard at <paramref name="nowTicks"/>: it is on the wire from
    /// then (or from the end of the master's previous one: a UART sends its bytes in turn) for its length. Returns false
    /// when it collided — it overlaps a reply or a foreign transmission still on the wire: that reply's bytes from the
    /// instruction's start on are garbled, and the instruction must not be executed.
    /// </summary>
    public bool Instruction(int length, long nowTicks)
    {
        long start = Math.Max(nowTicks, _masterFreeTicks);
        long end = start + length * _byteTicks100 / 100;
        _masterFreeTicks = end;
        _wireFreeTicks = Math.Max(_wireFreeTicks, end);
        bool collided = OverlapsForeign(start, end);
        foreach (WireFrame f in _frames)
        {
            if (Overlaps(f.StartTicks, f.EndTicks, start, end))
            {
                Garble(f, start);
                collided = true;
            }
        }

        if (collided)
        {
            Interlocked.Increment(ref _collisions);
            Interlocked.Exchange(ref _lastCollisionTicks, start);
        }

        return !collided;
    }

    /// <summary>
    /// Another device transmits from <paramref name="fromTicks"/> to <paramref name="untilTicks"/> without waiting for the
    /// wire (a rogue talker): replies on the wire meanwhile are garbled from its start on, and instructions heard
    /// meanwhile collide. (Its own bytes reach the controller as noise; the caller writes them.)
    /// </summary>
    public void Foreign(long fromTicks, long untilTicks)
    {
        foreach (WireFrame f in _frames)
        {
            if (Overlaps(f.StartTicks, f.EndTicks, fromTicks, untilTicks))
            {
                Garble(f, fromTicks);
            }
        }

        (long From, long Until) last = _foreign[_foreignLast];
        if (fromTicks <= last.Until && untilTicks >= last.From)
        {
            _foreign[_foreignLast] = (Math.Min(last.From, fromTicks), Math.Max(last.Until, untilTicks)); // one long transmission
        }
        else
        {
            _foreignLast = (_foreignLast + 1) % _foreign.Length;
            _foreign[_foreignLast] = (fromTicks, untilTicks);
        }
    }

    /// <summary>The foreign talker stopped at <paramref name="nowTicks"/>: what was drawn ahead of it never goes on the wire.</summary>
    public void EndForeign(long nowTicks)
    {
        for (int i = 0; i < _foreign.Length; i++)
        {
            (long from, long until) = _foreign[i];
            _foreign[i] = (from, Math.Min(until, Math.Max(from, nowTicks)));
        }
    }

    private bool OverlapsForeign(long fromTicks, long untilTicks)
    {
        foreach ((long from, long until) in _foreign)
        {
            if (until > from && Overlaps(from, until, fromTicks, untilTicks))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True while a foreign transmission is on the wire at <paramref name="nowTicks"/>.</summary>
    public bool ForeignAt(long nowTicks) => OverlapsForeign(nowTicks, nowTicks);

    // Half-open intervals; a zero-length one (an untimed wire) overlaps what it falls inside.
    private static bool Overlaps(long aFrom, long aUntil, long bFrom, long bUntil) =>
        aFrom < Math.Max(bUntil, bFrom + 1) && bFrom < Math.Max(aUntil, aFrom + 1);

    // The frame's bytes on the wire from fromTicks on arrive as garbage (every one changed).
    private void Garble(WireFrame f, long fromTicks)
    {
        int first = _byteTicks100 == 0 || fromTicks <= f.StartTicks ? 0 : (int)Math.Min(f.Length - 1, (fromTicks - f.StartTicks) * 100 / _byteTicks100);
        for (int i = first; i < f.Length; i++)
        {
            _ring[(f.Offset + i) & (_ring.Length - 1)] ^= (byte)_garble.Next(1, 256);
        }
    }

    /// <summary>Queues a reply: it leaves after the Return Delay Time once the wire is free, plus <paramref name="extraDelayTicks"/>.</summary>
    public void Reply(ReadOnlySpan<byte> bytes, long nowTicks, long extraDelayTicks)
    {
        if (bytes.Length > _ring.Length - _used)
        {
            return; // more than 64 kB waiting: the wire is hopelessly behind; drop, as a bus would garble it
        }

        long start = Math.Max(_wireFreeTicks, nowTicks) + _returnDelayTicks;
        _wireFreeTicks = start + bytes.Length * _byteTicks100 / 100;
        WireFrame f = Enqueue(bytes, start, _wireFreeTicks, _wireFreeTicks + extraDelayTicks);
        if (OverlapsForeign(start, _wireFreeTicks))
        {
            // The servo does not listen before it talks: a reply that starts inside a foreign transmission is garbled.
            Garble(f, start);
        }
    }

    private WireFrame Enqueue(ReadOnlySpan<byte> bytes, long startTicks, long endTicks, long due)
    {
        var f = new WireFrame(_head, bytes.Length, startTicks, endTicks, due);
        for (int i = 0; i < bytes.Length; i++)
        {
            _ring[_head] = bytes[i];
            _head = (_head + 1) & (_ring.Length - 1);
        }

        _used += bytes.Length;
        _frames.Enqueue(f);
        return f;
    }

    /// <summary>Stopwatch ticks when the last reply was handed to the pty (0: none yet).</summary>
    public long LastWriteTicks { get; private set; }

    /// <summary>Writes every reply that is due; returns the ticks until the next one (−1: none waiting).</summary>
    public long Flush(PseudoTerminal pty, long nowTicks)
    {
        while (_frames.TryPeek(out WireFrame f))
        {
            if (f.Due > nowTicks)
            {
                return f.Due - nowTicks;
            }

            _frames.Dequeue();
            int first = Math.Min(f.Length, _ring.Length - _tail);
            pty.Write(_ring.AsSpan(_tail, first));
            if (first < f.Length)
            {
                pty.Write(_ring.AsSpan(0, f.Length - first));
            }

            _tail = (_tail + f.Length) & (_ring.Length - 1);
            _used -= f.Length;
            LastWriteTicks = Stopwatch.GetTimestamp();
        }

        return -1;
    }

    /// <summary>Forgets every waiting reply (the chain's faults cleared between runs).</summary>
    public void Clear()
    {
        _frames.Clear();
        _head = _tail = _used = 0;
        _wireFreeTicks = 0;
        _masterFreeTicks = 0;
        Array.Clear(_foreign);
    }
}
