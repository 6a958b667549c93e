namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// Reads the entropy-coded segment of a JPEG scan most significant bit first, removing stuffed zero bytes (FF 00) and
/// stopping at the next marker. Bits asked for past the marker or the end of the data read as 0 and are counted, so a
/// truncated scan is reported (<see cref="Overrun"/>) instead of decoding to invented samples.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private ulong _buffer;
    private int _bits;
    private int _realBits;
    private bool _atMarker;

    /// <summary>A reader of <paramref name="data"/> from <paramref name="position"/>.</summary>
    public JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        _position = position;
    }

    /// <summary>True when more bits were consumed than the segment holds.</summary>
    public bool Overrun { get; private set; }

    /// <summary>Where reading stopped: at the marker that ends the segment, or at the end of the data.</summary>
    public readonly int Position => _position;

    /// <summary>The next 16 bits without consuming them.</summary>
    public int Peek16()
    {
        if (_bits < 16)
        {
            Fill();
        }

        return (int)(_buffer >> 48);
    }

    /// <summary>Consumes <paramref name="count"/> bits (at most 16).</summary>
    public void Skip(int count)
    {
        if (_bits < count)
        {
            Fill();
        }

        _buffer <<= count;
        _bits -= count;
        _realBits -= count;
        if (_realBits < 0)
        {
            Overrun = true;
        }
    }

    /// <summary>Reads <paramref name="count"/> bits (1–16) as an unsigned number.</summary>
    public int Read(int count)
    {
        int value = Peek16() >> (16 - count);
        Skip(count);
        return value;
    }

    /// <summary>
    /// Ends an interval at a restart marker: drops the bits left of the current byte, skips to the next marker and
    /// consumes it; returns the marker (0 at the end of the data).
    /// </summary>
    public byte TakeMarker()
    {
        _buffer = 0;
        _bits = 0;
        _realBits = 0;
        while (_position < _data.Length && !(_data[_position] == 0xFF && _position + 1 < _data.Length && _data[_position + 1] is not 0x00 and not 0xFF))
        {
            _position++;
        }

        _atMarker = false;
        if (_position + 1 >= _data.Length)
        {
            _position = _data.Length;
            return 0;
        }

        byte marker = _data[_position + 1];
        _position += 2;
        return marker;
    }

    /// <summary>Moves to the marker that ends the segment (after the last byte read) and returns its offset.</summary>
    public int SeekMarker()
    {
        while (_position < _data.Length && !(_data[_position] == 0xFF && _position + 1 < _data.Length && _data[_position + 1] is not 0x00 and not 0xFF))
        {
            _position++;
        }

        return _position;
    }

    private void Fill()
    {
        while (_bits <= 56)
        {
            byte b = 0;
            bool real = false;
            if (!_atMarker && _position < _data.Length)
            {
                b = _data[_position];
                if (b != 0xFF)
                {
                    _position++;
                    real = true;
                }
                else if (_position + 1 < _data.Length && _data[_position + 1] == 0x00)
                {
                    _position += 2;
                    real = true;
                }
                else
                {
                    // A marker (or fill bytes before one): the segment ends here.
                    _atMarker = true;
                    b = 0;
                }
            }

            _buffer |= (ulong)b << (56 - _bits);
            _bits += 8;
            if (real)
            {
                _realBits += 8;
            }
        }
    }
}
