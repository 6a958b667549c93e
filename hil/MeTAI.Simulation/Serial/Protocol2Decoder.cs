namespace MeTAI.Simulation.Serial;

/// <summary>
/// The servo twin's own Protocol 2.0 decoder, a byte-at-a-time state machine as in a servo's firmware: header
/// (FF FF FD 00), ID, LEN (2 bytes LE), LEN − 2 body bytes unstuffed as they arrive (the FD after a raw FF FF FD is
/// dropped), CRC (2 bytes LE) accumulated byte by byte. A candidate that fails — a header byte out of place, an
/// impossible LEN, a wrong CRC — is dropped and counted, and the machine starts again one byte after its first FF (a
/// real packet inside a garbled one is still found). Bytes go in with <see cref="Append"/>; whole packets come out of
/// <see cref="TryTake"/>. Fixed buffers; written independently of the controller's codec (issue 19), which its tests
/// cross-check it against. Owned by one thread.
/// </summary>
internal sealed class Protocol2Decoder
{
    private enum Stage
    {
        Ff1,
        Ff2,
        Fd,
        Reserved,
        Id,
        LengthLow,
        LengthHigh,
        Body,
        CrcLow,
        CrcHigh,
    }

    private readonly byte[] _window;
    private readonly byte[] _body;
    private readonly int _maxPacket;
    private int _start;   // the current candidate's first byte (or the next byte to look at when none)
    private int _pos;     // the next byte for the state machine
    private int _end;     // one past the last byte appended
    private Stage _stage;
    private byte _id;
    private int _length;  // LEN: stuffed body + 2 CRC bytes
    private int _bodyLeft;
    private int _bodyCount;
    private int _ffRun;
    private bool _dropFd;
    private ushort _crc;
    private int _crcLow;

    /// <summary>A decoder for packets of up to <paramref name="maxPacketBytes"/> bytes on the wire (header to CRC).</summary>
    public Protocol2Decoder(int maxPacketBytes = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketBytes, 16);
        _maxPacket = maxPacketBytes;
        _window = new byte[2 * maxPacketBytes];
        _body = new byte[maxPacketBytes];
    }

    /// <summary>Candidates dropped for a wrong CRC.</summary>
    public long CrcErrors { get; private set; }

    /// <summary>Candidates dropped for an impossible LEN (under 3, over the largest packet, a status without its error byte).</summary>
    public long LengthErrors { get; private set; }

    /// <summary>Bytes passed over while looking for a header.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Forgets everything appended and not yet taken.</summary>
    public void Clear()
    {
        _start = _pos = _end = 0;
        _stage = Stage.Ff1;
    }

    /// <summary>
    /// Appends received bytes. Call <see cref="TryTake"/> until it returns false after each append; bytes beyond what
    /// the window holds then drop the unfinished candidate first (it cannot be a packet: it would be too long).
    /// </summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _window.Length - _end)
        {
            Compact();
        }

        if (bytes.Length > _window.Length - _end)
        {
            SkippedBytes += _end - _start;
            Clear();
            if (bytes.Length > _window.Length)
            {
                SkippedBytes += bytes.Length - _window.Length;
                bytes = bytes[^_window.Length..];
            }
        }

        bytes.CopyTo(_window.AsSpan(_end));
        _end += bytes.Length;
    }

    /// <summary>Runs the state machine over the bytes appended; true with the next whole packet whose CRC matched.</summary>
    public bool TryTake(out Protocol2Packet packet)
    {
        while (_pos < _end)
        {
            byte b = _window[_pos++];
            switch (Step(b))
            {
                case Outcome.Packet:
                    _start = _pos;
                    packet = _body[0] == Protocol2.Status
                        ? new Protocol2Packet(_id, Protocol2.Status, _body[1], _body.AsSpan(2, _bodyCount - 2))
                        : new Protocol2Packet(_id, _body[0], 0, _body.AsSpan(1, _bodyCount - 1));
                    return true;
                case Outcome.Reject:
                    // Start again one byte after the rejected candidate's first FF.
                    _start++;
                    _pos = _start;
                    _stage = Stage.Ff1;
                    break;
                case Outcome.Malformed:
                    // CRC good but no packet (a status without its error byte): consumed whole, nothing to resynchronise on.
                    _start = _pos;
                    _stage = Stage.Ff1;
                    break;
                default:
                    break;
            }
        }

        packet = default;
        return false;
    }

    private enum Outcome
    {
        More,
        Packet,
        Reject,
        Malformed,
    }

    private Outcome Step(byte b)
    {
        switch (_stage)
        {
            case Stage.Ff1:
                if (b != Protocol2.HeaderFf)
                {
                    SkippedBytes++;
                    _start = _pos;
                    return Outcome.More;
                }

                _crc = Protocol2Crc.Update(0, b);
                _stage = Stage.Ff2;
                return Outcome.More;
            case Stage.Ff2:
                return Expect(b, Protocol2.HeaderFf, Stage.Fd);
            case Stage.Fd:
                return Expect(b, Protocol2.HeaderFd, Stage.Reserved);
            case Stage.Reserved:
                return Expect(b, 0x00, Stage.Id);
            case Stage.Id:
                _id = b;
                _crc = Protocol2Crc.Update(_crc, b);
                _stage = Stage.LengthLow;
                return Outcome.More;
            case Stage.LengthLow:
                _length = b;
                _crc = Protocol2Crc.Update(_crc, b);
                _stage = Stage.LengthHigh;
                return Outcome.More;
            case Stage.LengthHigh:
                _length |= b << 8;
                _crc = Protocol2Crc.Update(_crc, b);
                if (_length < 3 || 7 + _length > _maxPacket)
                {
                    LengthErrors++;
                    return Outcome.Reject;
                }

                _bodyLeft = _length - 2;
                _bodyCount = 0;
                _ffRun = 0;
                _dropFd = false;
                _stage = Stage.Body;
                return Outcome.More;
            case Stage.Body:
                _crc = Protocol2Crc.Update(_crc, b);
                Unstuff(b);
                if (--_bodyLeft == 0)
                {
                    _stage = Stage.CrcLow;
                }

                return Outcome.More;
            case Stage.CrcLow:
                _crcLow = b;
                _stage = Stage.CrcHigh;
                return Outcome.More;
            default:
                _stage = Stage.Ff1;
                if ((_crcLow | (b << 8)) != _crc)
                {
                    CrcErrors++;
                    return Outcome.Reject;
                }

                if (_body[0] == Protocol2.Status && _bodyCount < 2)
                {
                    LengthErrors++;
                    return Outcome.Malformed;
                }

                return Outcome.Packet;
        }
    }

    private Outcome Expect(byte b, byte expected, Stage next)
    {
        if (b != expected)
        {
            return Outcome.Reject;
        }

        _crc = Protocol2Crc.Update(_crc, b);
        _stage = next;
        return Outcome.More;
    }

    // Byte stuffing, undone as the body arrives: after a raw FF FF FD the sender put one more FD, which is not data.
    private void Unstuff(byte b)
    {
        if (_dropFd)
        {
            _dropFd = false;
            if (b == Protocol2.HeaderFd)
            {
                return;
            }
        }

        _body[_bodyCount++] = b;
        if (b == Protocol2.HeaderFd && _ffRun >= 2)
        {
            _dropFd = true;
            _ffRun = 0;
            return;
        }

        _ffRun = b == Protocol2.HeaderFf ? _ffRun + 1 : 0;
    }

    private void Compact()
    {
        int keep = _end - _start;
        Buffer.BlockCopy(_window, _start, _window, 0, keep);
        _pos -= _start;
        _end = keep;
        _start = 0;
    }
}
