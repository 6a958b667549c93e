using System.Diagnostics;
using System.Globalization;
using MeTAI.Robotics.Control;

namespace MeTAI.Robotics.ServoBus;

/// <summary>
/// The servo IO thread's part of the watchdog power relay (<see cref="ServoIoOptions.PowerRelayId"/>): every
/// <see cref="ServoIoOptions.RelayFeedMs"/> it feeds the relay — only while torque is on and the loop is alive (a new
/// goal within <see cref="ServoIoOptions.LoopStallMs"/>), or during power-up — and reads back power, the wired e-stop
/// loop and the trip cause for the loop (<see cref="Relay"/>). Any torque-off stops the feed, so servo power drops
/// within T_relay (<see cref="ServoIoOptions.RelayOffMs"/>) even if the torque-off write is lost. Power read on while the
/// board reports a trip latches "stuck closed" and refuses power-up. All on the bus owner's thread.
/// </summary>
public sealed partial class ServoIo
{
    private readonly SeqLockValue<PowerReadback> _relay = new();
    private readonly byte[] _relayStatus = new byte[PowerRelayRegisters.StatusLength];
    private readonly byte[] _relayFeed = new byte[1];
    private readonly long _relayPeriodTicks;
    private readonly long _relayOffTicks;
    private readonly long _loopStallTicks;
    private long _relayServiceTicks;
    private long _lastFeedTicks;
    private long _feedStoppedTicks;
    private bool _feeding;
    private long _loopSeenVersion = -1;
    private long _loopSeenTicks;
    private volatile bool _powerUpFeeding;
    private volatile string? _relayStuck;
    private bool _relayReadFailed;

    // Power-up's relay test waits this long after the feed stopped for power to read off: twice T_relay.
    private long StuckBoundTicks => 2 * _relayOffTicks;

    /// <inheritdoc />
    public PowerReadback Relay => _options.PowerRelayId is null ? default
        : _relay.TryRead(out PowerReadback r) ? r : new PowerReadback(true, false, true, 0, 0, 0, _relayStuck);

    // Feeds and reads the relay when its period is due (force: now). Called every IO iteration and between power-up steps.
    private void ServiceRelay(long now, bool force = false)
    {
        if (_options.PowerRelayId is not byte id)
        {
            return;
        }

        long version = Commands.Version;
        if (version != _loopSeenVersion)
        {
            _loopSeenVersion = version;
            _loopSeenTicks = now;
        }

        if (!force && now - _relayServiceTicks < _relayPeriodTicks)
        {
            if (_relayReadFailed)
            {
                // The last read-back was lost (a corrupted or missing reply): read again at the next iteration, not a whole
                // period later — a burst of corrupted replies must not hide an opened e-stop loop for periods on end
                // (campaign seed 57929711: 24 corrupted replies, EStop 51 ms after the cut instead of ≤ 30).
                _relayReadFailed = !ReadRelay(id, now, _feeding);
            }

            return;
        }

        _relayServiceTicks = now;
        bool feed = _powerUpFeeding || (_torqueOn && now - _loopSeenTicks <= _loopStallTicks);
        if (feed)
        {
            _relayFeed[0] ^= 1;
            // Counted as fed whether or not the reply comes back: the relay may have heard it (the stuck test is conservative).
            _lastFeedTicks = now;
            _bus.Write(id, PowerRelayRegisters.Feed, _relayFeed, out _);
        }
        else if (_feeding)
        {
            _feedStoppedTicks = _lastFeedTicks;
        }

        _feeding = feed;
        _relayReadFailed = !ReadRelay(id, now, feed);
    }

    // Before a servo transaction: the relay's service if it is due, then the bus's retries bounded by its next due time
    // (at once while its last read-back failed). Without a relay board: no bound.
    private void YieldToRelay()
    {
        if (_options.PowerRelayId is null)
        {
            return;
        }

        _bus.RetryUntilTicks = 0; // the relay's own transactions retry as usual
        ServiceRelay(Stopwatch.GetTimestamp());
        _bus.RetryUntilTicks = _relayReadFailed ? 1 : _relayServiceTicks + _relayPeriodTicks;
    }

    private bool ReadRelay(byte id, long now, bool feeding)
    {
        if (!_bus.Read(id, PowerRelayRegisters.PowerState, _relayStatus, out _))
        {
            return false;
        }

        bool powerOn = _relayStatus[0] != 0;
        byte trip = _relayStatus[2];
        // Welded contacts: the board has dropped its coil (it reports a trip) yet its mirror contact reads power on. This
        // needs no timing, so load cannot fake it (a time bound could: a board, or its twin, that hears the last feed
        // late keeps power on later). A board that never trips is the power-up test's to refuse.
        if (!feeding && powerOn && _relayStuck is null && trip != 0)
        {
            _relayStuck = string.Create(CultureInfo.InvariantCulture,
                $"power relay {id} stuck closed: servo power reads on {(now - _feedStoppedTicks) * 1e3 / Stopwatch.Frequency:F0} ms after the feed stopped (T_relay {_options.RelayOffMs:F0} ms), trip cause: {PowerRelayRegisters.TripCauseText(trip)}");
        }

        _relay.Write(new PowerReadback(true, powerOn, _relayStatus[1] != 0, _relayStatus[2], now, _lastFeedTicks, _relayStuck));
        return true;
    }

    // Power-up, first step: the relay test (power must read off with the feed stopped for T_relay), the e-stop loop
    // closed, then arm and feed until power reads on. Null when servo power is on, else why not.
    private string? ArmRelay()
    {
        if (_options.PowerRelayId is not byte id)
        {
            return null;
        }

        if (_powerUpFeeding && Relay.PowerOn && Relay.StuckDetail is null)
        {
            // A retry of a power-up that had armed the relay already: power is on and fed.
            return null;
        }

        _powerUpFeeding = false;
        ServiceRelay(Stopwatch.GetTimestamp(), force: true);

        // The relay test: with the feed stopped, power must read off (once the board has timed out, within T_relay).
        bool answered = false;
        while (_relayStuck is null)
        {
            long now = Stopwatch.GetTimestamp();
            answered = ReadRelay(id, now, feeding: false);
            if ((answered && !Relay.PowerOn) || now - _feedStoppedTicks > StuckBoundTicks + _relayPeriodTicks)
            {
                break;
            }

            Thread.Sleep(2);
        }

        if (!answered && _relayStuck is null)
        {
            return $"power relay {id} does not answer";
        }

        PowerReadback r = Relay;
        if (r.StuckDetail is { } stuck)
        {
            return stuck + "; refusing to power up";
        }

        if (r.PowerOn)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"power relay {id} still reads servo power on {(Stopwatch.GetTimestamp() - _feedStoppedTicks) * 1e3 / Stopwatch.Frequency:F0} ms after the feed stopped and reports no trip (fed by another controller, or a board that does not time out); refusing to power up");
        }

        if (!r.EStopLoopClosed)
        {
            return "the wired e-stop loop is open (relay board input): release the e-stop or repair its cable";
        }

        if (!_bus.WriteByte(id, PowerRelayRegisters.Reset, 1, out byte error) || error != 0)
        {
            return $"power relay {id} refused to arm (status error 0x{error:X2})";
        }

        _powerUpFeeding = true;
        long deadline = Stopwatch.GetTimestamp() + 10 * _relayPeriodTicks;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            ServiceRelay(Stopwatch.GetTimestamp(), force: true);
            if (Relay.PowerOn)
            {
                return null;
            }

            Thread.Sleep(2);
        }

        _powerUpFeeding = false;
        return $"servo power did not come on within {10 * _options.RelayFeedMs:F0} ms of arming power relay {id} (trip cause: {PowerRelayRegisters.TripCauseText(Relay.TripCause)})";
    }
}
