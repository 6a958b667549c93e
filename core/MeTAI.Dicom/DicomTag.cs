using System.Globalization;

namespace MeTAI.Dicom;

/// <summary>A DICOM attribute tag (group, element), ordered as DICOM orders data elements.</summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>Item (FFFE,E000).</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);

    /// <summary>Item Delimitation Item (FFFE,E00D).</summary>
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);

    /// <summary>Sequence Delimitation Item (FFFE,E0DD).</summary>
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);

    /// <summary>The tag as one 32-bit number, group in the high half.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>Builds a tag from its 32-bit number.</summary>
    public static DicomTag FromValue(uint value) => new((ushort)(value >> 16), (ushort)(value & 0xFFFF));

    /// <summary>True for private tags (odd group).</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>True for private creator elements (gggg,0010–00FF) of odd groups.</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    /// <summary>True for group length elements (gggg,0000).</summary>
    public bool IsGroupLength => Element == 0;

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Tag order.</summary>
    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;

    /// <summary>Tag order.</summary>
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;

    /// <summary>Tag order.</summary>
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;

    /// <summary>Tag order.</summary>
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;

    /// <summary>The usual notation, e.g. <c>(0010,0010)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");

    /// <summary>Parses <c>(gggg,eeee)</c>, <c>gggg,eeee</c> or <c>ggggeeee</c> (hexadecimal).</summary>
    public static DicomTag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim().TrimStart('(').TrimEnd(')').Replace(",", string.Empty, StringComparison.Ordinal);
        if (s.Length != 8 || !uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint v))
        {
            throw new FormatException($"'{text}' is not a DICOM tag (expected gggg,eeee in hexadecimal).");
        }

        return FromValue(v);
    }
}
