using System.Diagnostics;

namespace MeTAI.Simulation.Serial;

/// <summary>The servo chain's part of the power relay board: the board hears the wire, switches the servos' power and replies on the wire.</summary>
public sealed partial class ServoChainTwin
{
    /// <summary>The watchdog power relay board on this bus (null: none, the servos always have power).</summary>
    public PowerRelayTwin? Relay { get; }

    // Each pass of the serving thread: the bytes just heard, then the board's watchdog clock (every device on the bus
    // hears every byte; the board decodes them itself, and hears nothing while the bus is cut).
    private void ServeRelay(int n, long now, long stall)
    {
        if (Relay is not { } relay)
        {
            return;
        }

        if (stall > 0)
        {
            relay.ForgiveStall(stall);
        }

        if (n > 0 && !_silent)
        {
            relay.Receive(_rx.AsSpan(0, n), now, Transmit);
        }

        relay.Tick(now);
    }

    private void SetServoPower(bool on)
    {
        foreach (XmServoTwin s in _servos)
        {
            s.SetMotorPower(on);
        }
    }

    // A reply from another device on the bus (the relay board): on the wire like a servo's, with no fault hooks.
    private void Transmit(ReadOnlyMemory<byte> packet)
    {
        if (_silent)
        {
            return;
        }

        if (!_wire.Timed && _wire.Pending == 0)
        {
            _pty.Write(packet.Span);
            return;
        }

        _wire.Reply(packet.Span, Stopwatch.GetTimestamp(), 0);
    }
}
