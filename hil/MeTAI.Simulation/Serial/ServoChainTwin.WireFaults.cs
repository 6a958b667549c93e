namespace MeTAI.Simulation.Serial;

/// <summary>Faults of the wire itself: a rogue talker that collides with the traffic, servos at another baud rate.</summary>
public sealed partial class ServoChainTwin
{
    private readonly byte[] _noise = new byte[RogueTalker.NoiseBytesPerBurst];
    private readonly Random _baudGarbage = new(1919);
    private volatile RogueTalker? _rogue;
    private int _rogueSeed = 19;
    private bool _rogueOnWire;

    /// <summary>
    /// Collisions on the half-duplex wire: instructions written while a reply or a foreign transmission was on it (both
    /// lost: the reply arrives garbled, no servo executes the instruction). Only with wire timing
    /// (<see cref="ServoChainOptions.BaudRate"/>) or a rogue talker on the wire (<see cref="BeginRogueTalker"/>).
    /// </summary>
    public long Collisions => _wire.Collisions;

    /// <summary>Stopwatch ticks when the last collision began on the wire (0: none).</summary>
    public long LastCollisionTicks => _wire.LastCollisionTicks;

    /// <summary>
    /// Fault hook: another device on the wire transmits at random times for <paramref name="duty"/> (0…1] of the time
    /// (1: it never stops), without waiting for the wire — every reply it meets arrives garbled, every instruction it
    /// meets reaches no servo (counted in <see cref="Collisions"/>), and its bytes reach the controller as noise. Until
    /// <see cref="EndRogueTalker"/>.
    /// </summary>
    public void BeginRogueTalker(double duty) =>
        _rogue = new RogueTalker(duty, Interlocked.Increment(ref _rogueSeed), System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>Ends the rogue talker (<see cref="BeginRogueTalker"/>).</summary>
    public void EndRogueTalker() => _rogue = null;

    /// <summary>True while a rogue talker is on the wire.</summary>
    public bool RogueTalking => _rogue is not null;

    /// <summary>
    /// Fault hook: the servo at <paramref name="index"/> in chain order (null: every servo) switches to another baud rate,
    /// or back. It understands nothing the controller sends — it executes nothing, and its bus watchdog is not fed — and
    /// where it would have answered, its bytes arrive as garbage at the controller's rate.
    /// </summary>
    public void SetBaudMismatch(int? index, bool on)
    {
        foreach (XmServoTwin s in index is int i ? [_servos[i]] : _servos)
        {
            s.SetBaudMismatch(on);
        }
    }

    // The rogue talker's bursts up to now, announced to the wire; its noise to the controller.
    private void AdvanceRogue(long nowTicks)
    {
        if (_rogue is { } rogue)
        {
            _rogueOnWire = true;
            int n = rogue.Advance(nowTicks, _wire, _noise);
            if (n > 0)
            {
                _pty.Write(_noise.AsSpan(0, n));
            }
        }
        else if (_rogueOnWire)
        {
            _rogueOnWire = false;
            _wire.EndForeign(nowTicks);
        }
    }

    // A servo at another baud rate hears only framing errors.
    private static bool Hears(XmServoTwin s) => !s.BaudMismatched;

    // Its reply, sent at its own rate, read at the controller's: every byte garbage.
    private void GarbleIfMismatched(byte id, Span<byte> reply)
    {
        if (Find(id) is { BaudMismatched: true })
        {
            for (int i = 0; i < reply.Length; i++)
            {
                reply[i] ^= (byte)_baudGarbage.Next(1, 256);
            }
        }
    }
}
