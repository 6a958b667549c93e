using System.Diagnostics;

namespace MeTAI.Simulation.Serial;

/// <summary>
/// A watchdog power relay on an I/O board on the servo bus, speaking Dynamixel Protocol 2.0 with its own ID and its own
/// packet handling (<see cref="RelayBoardCodec"/>), modelled on how real arms cut motor power outside the software path.
/// Servo (motor) power is on only while all of these hold: the board was armed (a write of 1 to Reset, refused while
/// the e-stop loop is open), the wired e-stop loop is closed (the button's NC contacts in series with the coil:
/// pressing it or cutting its cable opens the coil circuit directly, category 0), and the controller has fed the
/// watchdog (a write that changes the Feed register) within <see cref="PowerRelayOptions.FeedTimeoutMs"/>. Any of them
/// failing trips the board: power stays off until it is armed again (no restart on its own). Welded contacts
/// (<see cref="WeldContacts"/>) keep power on whatever the coil does; the Power State register reads the contacts (a
/// mirror contact), so the controller can find out.
/// Registers (1 byte each unless said): 0 Model Number (2, 0xA100), 6 Firmware, 7 ID, 24 Feed (rw), 25 Reset (w: 1
/// arms), 26 Power State (r: 1 on), 27 E-stop Input (r: 1 loop closed), 28 Trip Cause (r: <see cref="RelayTripCause"/>).
/// Only packets addressed to its own ID are obeyed (never a broadcast: a broadcast write must not feed or arm it).
/// The servo chain (<see cref="ServoChainTwin"/>) hands it every byte on the wire and puts its replies on the wire; it
/// switches the servos' motor power. Thread-safe: the chain's thread and the fault hooks take the lock.
/// </summary>
public sealed class PowerRelayTwin
{
    /// <summary>Feed register: a write that changes its value feeds the watchdog.</summary>
    public const ushort FeedAddress = 24;

    /// <summary>Reset register: writing 1 arms the board (when the e-stop loop is closed).</summary>
    public const ushort ResetAddress = 25;

    /// <summary>Power State register (read-only): 1 when servo power is on.</summary>
    public const ushort PowerStateAddress = 26;

    /// <summary>E-stop Input register (read-only): 1 when the wired e-stop loop is closed.</summary>
    public const ushort EStopInputAddress = 27;

    /// <summary>Trip Cause register (read-only).</summary>
    public const ushort TripCauseAddress = 28;

    /// <summary>The board's model number (ours; Ping reports it).</summary>
    public const ushort ModelNumber = 0xA100;

    private const int TableSize = 32;
    private readonly PowerRelayOptions _options;
    private readonly Action<bool, long> _setServoPower;
    private readonly RelayBoardCodec _codec = new();
    private readonly byte[] _table = new byte[TableSize];
    private readonly byte[] _reply = new byte[64];
    private readonly Lock _lock = new();
    private readonly long _timeoutTicks;
    private bool _armed;
    private bool _fedSinceArm;
    private bool _estopOpen;
    private bool _welded;
    private bool _powerOn;
    private long _lastFeedTicks;
    private long _powerOffTicks;
    private long _feeds;
    private RelayTrip? _lastTrip;

    internal PowerRelayTwin(PowerRelayOptions options, Action<bool, long> setServoPower)
    {
        options.Validate();
        _options = options;
        _setServoPower = setServoPower;
        _timeoutTicks = (long)(options.FeedTimeoutMs * 1e-3 * Stopwatch.Frequency);
        _table[0] = ModelNumber & 0xFF;
        _table[1] = ModelNumber >> 8;
        _table[6] = 1;
        _table[7] = options.Id;
        _table[TripCauseAddress] = (byte)RelayTripCause.NotArmed;
        Update(Stopwatch.GetTimestamp());
    }

    /// <summary>The board's ID.</summary>
    public byte Id => _options.Id;

    /// <summary>The watchdog time (ms).</summary>
    public double FeedTimeoutMs => _options.FeedTimeoutMs;

    /// <summary>True while servo (motor) power is on (the contacts are closed).</summary>
    public bool PowerOn
    {
        get
        {
            lock (_lock)
            {
                return _powerOn;
            }
        }
    }

    /// <summary>Feeds received so far.</summary>
    public long Feeds => Interlocked.Read(ref _feeds);

    /// <summary>Packets dropped by the board's decoder for a bad CRC.</summary>
    public long CrcErrors
    {
        get
        {
            lock (_lock)
            {
                return _codec.CrcErrors;
            }
        }
    }

    /// <summary>Stopwatch ticks when servo power last went off (0: never).</summary>
    public long PowerOffTicks
    {
        get
        {
            lock (_lock)
            {
                return _powerOffTicks;
            }
        }
    }

    /// <summary>The last trip: why, the last feed before it and when power went off (null: none since arming).</summary>
    public RelayTrip? LastTrip
    {
        get
        {
            lock (_lock)
            {
                return _lastTrip;
            }
        }
    }

    /// <summary>Fault hook: opens (true) or closes the wired e-stop loop — the button pressed, or its cable cut.</summary>
    public void OpenEStopLoop(bool open)
    {
        lock (_lock)
        {
            _estopOpen = open;
            // Wired in series with the coil: no polling, power drops now.
            Update(Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Fault hook: the relay's contacts weld shut (true: power stays on whatever the coil does) or are replaced.</summary>
    public void WeldContacts(bool welded)
    {
        lock (_lock)
        {
            _welded = welded;
            Update(Stopwatch.GetTimestamp());
        }
    }

    /// <summary>
    /// Clears the fault hooks (HIL runs reusing one chain): the e-stop loop closed, the contacts sound. A trip stays a
    /// trip: power comes back only when the controller arms the board again.
    /// </summary>
    public void ResetFaults()
    {
        lock (_lock)
        {
            _estopOpen = false;
            _welded = false;
            Update(Stopwatch.GetTimestamp());
        }
    }

    // Called by the chain's thread at least every millisecond while power is on: the watchdog's clock.
    internal void Tick(long nowTicks)
    {
        lock (_lock)
        {
            Update(nowTicks);
        }
    }

    /// <summary>Hands the board bytes heard on the wire; its replies go to <paramref name="transmit"/>.</summary>
    internal void Receive(ReadOnlySpan<byte> wire, long nowTicks, Action<ReadOnlyMemory<byte>> transmit)
    {
        lock (_lock)
        {
            // Bytes first, then the watchdog: feeds that waited in the pty while this thread was descheduled arrived in time.
            foreach (byte b in wire)
            {
                if (_codec.Push(b, out RelayBoardPacket packet) && packet.Id == _options.Id)
                {
                    int n = Handle(packet, nowTicks);
                    if (n > 0)
                    {
                        transmit(_reply.AsMemory(0, n).ToArray());
                    }
                }
            }

            Update(nowTicks);
        }
    }

    // Obeys one packet addressed to the board; returns the length of its status reply in _reply (0: none).
    private int Handle(RelayBoardPacket packet, long nowTicks)
    {
        byte[] p = packet.Parameters;
        switch (packet.Instruction)
        {
            case 0x01:
                return RelayBoardCodec.WriteStatus(_reply, _options.Id, 0, [_table[0], _table[1], _table[6]]);
            case 0x02 when p.Length == 4:
                {
                    // The registers as of now (the watchdog may have expired while this thread was descheduled).
                    Update(nowTicks);
                    int address = p[0] | (p[1] << 8);
                    int length = p[2] | (p[3] << 8);
                    return address + length > TableSize || length > 16
                        ? RelayBoardCodec.WriteStatus(_reply, _options.Id, 0x04, [])
                        : RelayBoardCodec.WriteStatus(_reply, _options.Id, 0, _table.AsSpan(address, length));
                }

            case 0x03 when p.Length >= 3:
                {
                    int address = p[0] | (p[1] << 8);
                    byte error = 0;
                    for (int k = 2; k < p.Length; k++)
                    {
                        error |= WriteRegister(address + k - 2, p[k], nowTicks);
                    }

                    Update(nowTicks);
                    return RelayBoardCodec.WriteStatus(_reply, _options.Id, error, []);
                }

            default:
                // Instruction error: the board only knows Ping, Read and Write.
                return RelayBoardCodec.WriteStatus(_reply, _options.Id, 0x02, []);
        }
    }

    private byte WriteRegister(int address, byte value, long nowTicks)
    {
        switch (address)
        {
            case FeedAddress:
                if (value != _table[FeedAddress])
                {
                    _table[FeedAddress] = value;
                    _lastFeedTicks = nowTicks;
                    _fedSinceArm |= _armed;
                    Interlocked.Increment(ref _feeds);
                }

                return 0;
            case ResetAddress when value == 1:
                if (_estopOpen)
                {
                    return 0x04;
                }

                if (!_armed)
                {
                    _armed = true;
                    _fedSinceArm = false;
                    _lastTrip = null;
                    _table[TripCauseAddress] = (byte)RelayTripCause.None;
                }

                return 0;
            default:
                // Everything else is read-only.
                return 0x04;
        }
    }

    // Called with the lock held: the coil, the contacts, the servos' power.
    private void Update(long nowTicks)
    {
        long offTicks = nowTicks;
        if (_armed && _estopOpen)
        {
            Trip(RelayTripCause.EStopLoopOpen, nowTicks, nowTicks);
        }
        else if (_armed && _fedSinceArm && nowTicks - _lastFeedTicks > _timeoutTicks)
        {
            // The board's own timer expired at lastFeed + timeout; this thread may notice later (descheduled on a loaded
            // machine). The contacts open when the timer expired — the hardware does not wait for the simulation — and
            // the trip records both moments.
            Trip(RelayTripCause.FeedTimeout, _lastFeedTicks + _timeoutTicks, nowTicks);
            offTicks = _lastFeedTicks + _timeoutTicks;
        }

        bool coil = _armed && _fedSinceArm;
        bool contacts = coil || _welded;
        _table[PowerStateAddress] = contacts ? (byte)1 : (byte)0;
        _table[EStopInputAddress] = _estopOpen ? (byte)0 : (byte)1;
        if (contacts == _powerOn)
        {
            return;
        }

        _powerOn = contacts;
        if (!contacts)
        {
            _powerOffTicks = offTicks;
            if (_lastTrip is { PowerOffTicks: 0 } trip)
            {
                _lastTrip = trip with { PowerOffTicks = offTicks };
            }
        }

        _setServoPower(contacts, contacts ? nowTicks : offTicks);
    }

    private void Trip(RelayTripCause cause, long tripTicks, long noticedTicks)
    {
        _armed = false;
        _fedSinceArm = false;
        _table[TripCauseAddress] = (byte)cause;
        // The contacts may be welded: then power is not off, and PowerOffTicks stays 0 for this trip.
        _lastTrip = new RelayTrip(cause, _lastFeedTicks, _welded ? 0 : tripTicks, tripTicks, noticedTicks);
    }
}
