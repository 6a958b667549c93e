using System.Buffers.Binary;
using System.Text;

namespace MeTAI.Dicom.Tests.IO;

/// <summary>Hand-assembles DICOM byte streams for reader tests, in either byte order and VR mode.</summary>
internal sealed class DicomBytes(bool explicitVR = true, bool bigEndian = false)
{
    private readonly List<byte> _s = [];

    public DicomBytes Preamble(string transferSyntax, bool groupLength = true)
    {
        Write(new byte[128]);
        Write("DICM"u8);
        var meta = new DicomBytes();
        meta.Element(0x0002, 0x0001, "OB", [0, 1]);
        meta.Text(0x0002, 0x0010, "UI", transferSyntax);
        byte[] body = meta.ToArray();
        if (groupLength)
        {
            var gl = new DicomBytes();
            gl.Element(0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)body.Length));
            Write(gl.ToArray());
        }

        Write(body);
        return this;
    }

    public DicomBytes Tag(ushort group, ushort element)
    {
        U16(group);
        U16(element);
        return this;
    }

    public DicomBytes Element(ushort group, ushort element, string vr, byte[] value, uint? length = null)
    {
        Tag(group, element);
        uint len = length ?? (uint)value.Length;
        if (explicitVR)
        {
            Write(Encoding.ASCII.GetBytes(vr));
            if (vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "UC" or "UN" or "UR" or "UT" or "SV" or "UV")
            {
                U16(0);
                U32(len);
            }
            else
            {
                U16((ushort)len);
            }
        }
        else
        {
            U32(len);
        }

        Write(value);
        return this;
    }

    public DicomBytes Text(ushort group, ushort element, string vr, string text)
    {
        byte[] b = Encoding.UTF8.GetBytes(text);
        if (b.Length % 2 == 1)
        {
            b = [.. b, vr == "UI" ? (byte)0 : (byte)' '];
        }

        return Element(group, element, vr, b);
    }

    public DicomBytes US(ushort group, ushort element, params ushort[] values)
    {
        var b = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2 * i), values[i]);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2 * i), values[i]);
            }
        }

        return Element(group, element, "US", b);
    }

    /// <summary>An element header with undefined length (SQ, UN, OB …), no value.</summary>
    public DicomBytes Undefined(ushort group, ushort element, string vr) => Element(group, element, vr, [], 0xFFFFFFFF);

    public DicomBytes Item(uint length = 0xFFFFFFFF) => Tag(0xFFFE, 0xE000).U32(length);

    public DicomBytes ItemEnd() => Tag(0xFFFE, 0xE00D).U32(0);

    public DicomBytes SequenceEnd() => Tag(0xFFFE, 0xE0DD).U32(0);

    public DicomBytes Raw(byte[] bytes)
    {
        Write(bytes);
        return this;
    }

    public DicomBytes U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        }

        Write(b);
        return this;
    }

    public DicomBytes U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        }

        Write(b);
        return this;
    }

    public byte[] ToArray() => [.. _s];

    private void Write(ReadOnlySpan<byte> bytes) => _s.AddRange(bytes);
}
