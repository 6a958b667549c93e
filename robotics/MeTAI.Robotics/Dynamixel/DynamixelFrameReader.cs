using System.Buffers.Binary;

namespace MeTAI.Robotics.Dynamixel;

/// <summary>
/// Incremental decoder for a byte stream of Dynamixel Protocol 2.0 packets (either direction). Bytes are appended
/// with <see cref="Append"/>; <see cref="TryRead"/> yields complete packets whose CRC matches. Noise before a header
/// is skipped; a packet with a wrong CRC or an impossible length is counted and dropped — never handed on — and
/// the search resumes one byte after its header. Fixed buffers; never allocates after construction.
/// </summary>
public sealed class DynamixelFrameReader
{
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    /// <summary>Creates a reader whose largest packet is <paramref name="capacity"/> − 1 bytes.</summary>
    public DynamixelFrameReader(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 32);
        _buffer = new byte[capacity];
    }

    /// <summary>Packets dropped because their CRC did not match.</summary>
    public long CrcErrors { get; private set; }

    /// <summary>Packets dropped because LEN was impossible (too short or longer than the buffer).</summary>
    public long LengthErrors { get; private set; }

    /// <summary>Bytes skipped while looking for a header.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Bytes buffered and not yet decoded.</summary>
    public int Buffered => _end - _start;

    /// <summary>Forgets buffered bytes (e.g. after a timeout, before a new request).</summary>
    public void Clear()
    {
        _start = 0;
        _end = 0;
    }

    /// <summary>Appends received bytes. When the buffer would overflow the oldest bytes are dropped.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > _buffer.Length - (_end - _start))
        {
            int keep = Math.Max(0, _buffer.Length - data.Length);
            int drop = (_end - _start) - keep;
            if (drop > 0)
            {
                SkippedBytes += drop;
                _start += drop;
            }

            if (data.Length > _buffer.Length)
            {
                SkippedBytes += data.Length - _buffer.Length;
                data = data[^_buffer.Length..];
            }
        }

        if (_end + data.Length > _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Space that <see cref="Append"/> accepts without dropping buffered bytes.</summary>
    public int FreeSpace => _buffer.Length - (_end - _start);

    /// <summary>Decodes the next complete packet with a valid CRC, if any.</summary>
    public bool TryRead(out DynamixelFrame frame)
    {
        frame = default;
        while (true)
        {
            int available = _end - _start;
            if (available < 10)
            {
                CompactIfEmpty();
                return false;
            }

            Span<byte> data = _buffer.AsSpan(_start, available);
            int header = data.IndexOf(DynamixelPacket.Header);
            if (header < 0)
            {
                // Keep up to 3 trailing bytes: they may be the start of a header.
                int drop = available - 3;
                SkippedBytes += drop;
                _start += drop;
                return false;
            }

            if (header > 0)
            {
                SkippedBytes += header;
                _start += header;
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16LittleEndian(data[5..]);
            if (length < 3 || 7 + length > _buffer.Length)
            {
                LengthErrors++;
                _start += 1;
                continue;
            }

            int total = 7 + length;
            if (available < total)
            {
                return false;
            }

            ushort expected = BinaryPrimitives.ReadUInt16LittleEndian(data[(total - 2)..]);
            if (DynamixelCrc.Compute(data[..(total - 2)]) != expected)
            {
                // Dropped, never acted on; resynchronise one byte after this header.
                CrcErrors++;
                _start += 1;
                continue;
            }

            _start += total;
            Span<byte> body = data[7..(total - 2)];
            int n = DynamixelPacket.Unstuff(body);
            byte id = data[4];
            byte instruction = body[0];
            if (instruction == DynamixelInstruction.Status)
            {
                if (n < 2)
                {
                    LengthErrors++;
                    continue;
                }

                frame = new DynamixelFrame(id, instruction, body[1], body[2..n]);
            }
            else
            {
                frame = new DynamixelFrame(id, instruction, 0, body[1..n]);
            }

            return true;
        }
    }

    private void CompactIfEmpty()
    {
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }
}
