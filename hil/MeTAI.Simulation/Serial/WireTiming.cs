using System.Diagnostics;

namespace MeTAI.Simulation.Serial;

/// <summary>
/// The time bytes take on the servo chain's half-duplex wire: an instruction occupies it for its length at the baud rate
/// (10 bits a byte: start, 8 data, stop), and each status reply leaves after the servo's Return Delay Time once the wire
/// is free and occupies it for its own length. Replies wait here (in a preallocated ring, no allocation per reply) until
/// their last byte would have arrived, then go to the pty together — so the controller sees the bus's real
/// transaction rate instead of the CPU's, and its IO thread sleeps while the wire is busy. A slow reply path
/// (<see cref="ServoChainTwin.DelayReplies"/>) adds its delay on top. Owned by the chain's thread.
/// </summary>
internal sealed class WireTiming
{
    private readonly byte[] _ring = new byte[1 << 16];
    private readonly Queue<(long Due, int Length)> _frames = new(256);
    private readonly long _byteTicks100;
    private readonly long _returnDelayTicks;
    private int _head;
    private int _tail;
    private int _used;
    private long _wireFreeTicks;

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

    /// <summary>An instruction of <paramref name="length"/> bytes was heard at <paramref name="nowTicks"/>: the wire was busy with it.</summary>
    public void Instruction(int length, long nowTicks) =>
        _wireFreeTicks = Math.Max(_wireFreeTicks, nowTicks) + length * _byteTicks100 / 100;

    /// <summary>Queues a reply: it leaves after the Return Delay Time once the wire is free, plus <paramref name="extraDelayTicks"/>.</summary>
    public void Reply(ReadOnlySpan<byte> bytes, long nowTicks, long extraDelayTicks)
    {
        if (bytes.Length > _ring.Length - _used)
        {
            return; // more than 64 kB waiting: the wire is hopelessly behind; drop, as a bus would garble it
        }

        long start = Math.Max(_wireFreeTicks, nowTicks) + _returnDelayTicks;
        _wireFreeTicks = start + bytes.Length * _byteTicks100 / 100;
        for (int i = 0; i < bytes.Length; i++)
        {
            _ring[_head] = bytes[i];
            _head = (_head + 1) & (_ring.Length - 1);
        }

        _used += bytes.Length;
        _frames.Enqueue((_wireFreeTicks + extraDelayTicks, bytes.Length));
    }

    /// <summary>Stopwatch ticks when the last reply was handed to the pty (0: none yet).</summary>
    public long LastWriteTicks { get; private set; }

    /// <summary>Writes every reply that is due; returns the ticks until the next one (−1: none waiting).</summary>
    public long Flush(PseudoTerminal pty, long nowTicks)
    {
        while (_frames.TryPeek(out (long Due, int Length) f))
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
    }
}
