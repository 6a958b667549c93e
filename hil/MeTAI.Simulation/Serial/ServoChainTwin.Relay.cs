using System.Diagnostics;

namespace MeTAI.Simulation.Serial;

/// <summary>The servo chain's part of the power relay board: the board hears the wire, switches the servos' power and replies on the wire.</summary>
public sealed partial class ServoChainTwin
{
    /// <summary>The watchdog power relay board on this bus (null: none, the servos always have power).</summary>
    public PowerRelayTwin? Relay { get; }

    // Each pass of the serving thread: the bytes just heard, then the board's watchdog clock (every device on the bus
    // hears every byte; the board decodes them itself, and hears nothing while the bus is cut). Bytes first: feeds that
    // waited in the pty while this thread was descheduled arrived in time. No stall is forgiven otherwise — the board's
    // clock is the wall clock, so a late wake-up of this thread can only make power go off later than the model says
    // (RelayTrip.FeedToPowerOffMs shows it), never earlier.
    private void ServeRelay(int n, long now)
    {
        if (Relay is not { } relay)
        {
            return;
        }

        if (n > 0 && !_silent)
        {
            relay.Receive(_rx.AsSpan(0, n), now, Transmit);
        }

        relay.Tick(now);
    }

    private void SetServoPower(bool on, long atTicks)
    {
        foreach (XmServoTwin s in _servos)
        {
            s.SetMotorPower(on, atTicks);
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
