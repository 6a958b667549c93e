using System.Buffers.Binary;
using System.Globalization;

namespace MeTAI.Dicom;

/// <summary>Typed reading and writing of element values.</summary>
public sealed partial class DicomDataset
{
    /// <summary>The whole text value with padding removed (values joined by '\'), or null when absent.</summary>
    public string? GetString(DicomTag tag)
    {
        if (!TryGetElement(tag, out DicomElement e) || e is DicomSequence)
        {
            return null;
        }

        return string.Join('\\', SplitText(e, CharsetFor(e.VR)));
    }

    /// <summary>The text values split on '\' with padding removed; empty when absent or empty.</summary>
    public string[] GetStrings(DicomTag tag) =>
        TryGetElement(tag, out DicomElement e) && e is not DicomSequence ? SplitText(e, CharsetFor(e.VR)) : [];

    /// <summary>The single text value; throws naming the tag when absent or empty.</summary>
    public string GetRequiredString(DicomTag tag)
    {
        string? s = GetString(tag);
        return string.IsNullOrEmpty(s) ? throw Missing(tag) : s;
    }

    /// <summary>
    /// The values of an element as <typeparamref name="T"/> (double, float, int, long, uint, ushort, short, string or
    /// <see cref="DicomTag"/>): DS and IS text is parsed, binary values are read and converted. Empty when absent.
    /// </summary>
    /// <exception cref="DicomFormatException">When a value cannot be read as <typeparamref name="T"/>.</exception>
    public T[] GetValues<T>(DicomTag tag)
    {
        if (!TryGetElement(tag, out DicomElement e) || e is DicomSequence)
        {
            return [];
        }

        if (typeof(T) == typeof(string))
        {
            return (T[])(object)SplitText(e, CharsetFor(e.VR));
        }

        if (e.VR.IsText)
        {
            string[] parts = SplitText(e, CharsetFor(e.VR));
            var result = new T[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!DicomValueFormat.TryParseDS(parts[i], out double d))
                {
                    throw new DicomFormatException($"value {i + 1} '{parts[i]}' of {DicomDictionary.NameOf(tag)} ({e.VR}) is not a number", -1, tag);
                }

                result[i] = ConvertNumber<T>(d, tag);
            }

            return result;
        }

        if (typeof(T) == typeof(DicomTag))
        {
            if (e.VR != DicomVR.AT)
            {
                throw new DicomFormatException($"{DicomDictionary.NameOf(tag)} has VR {e.VR}, not AT", -1, tag);
            }

            ReadOnlySpan<byte> b = e.Value.Span;
            var tags = new DicomTag[b.Length / 4];
            for (int i = 0; i < tags.Length; i++)
            {
                tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(b[(4 * i)..]), BinaryPrimitives.ReadUInt16LittleEndian(b[(4 * i + 2)..]));
            }

            return (T[])(object)tags;
        }

        return ReadBinaryValues<T>(e);
    }

    /// <summary>The first value as <typeparamref name="T"/>; throws naming the tag when absent or empty.</summary>
    public T GetSingleValue<T>(DicomTag tag)
    {
        T[] values = GetValues<T>(tag);
        return values.Length > 0 ? values[0] : throw Missing(tag);
    }

    /// <summary>The first value, or <paramref name="fallback"/> when absent or empty.</summary>
    public T GetValueOrDefault<T>(DicomTag tag, T fallback)
    {
        T[] values = GetValues<T>(tag);
        return values.Length > 0 ? values[0] : fallback;
    }

    /// <summary>The first value, or false when absent or empty.</summary>
    public bool TryGetSingleValue<T>(DicomTag tag, out T value)
    {
        T[] values = GetValues<T>(tag);
        value = values.Length > 0 ? values[0] : default!;
        return values.Length > 0;
    }

    /// <summary>The sequence with <paramref name="tag"/>, or null.</summary>
    public DicomSequence? GetSequence(DicomTag tag) =>
        TryGetElement(tag, out DicomElement e) ? e as DicomSequence : null;

    /// <summary>The items of a sequence; empty when absent.</summary>
    public IReadOnlyList<DicomDataset> GetItems(DicomTag tag) =>
        GetSequence(tag)?.Items ?? (IReadOnlyList<DicomDataset>)[];

    /// <summary>Sets text values (joined by '\', encoded in this dataset's character set, padded to even length).</summary>
    public DicomElement AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(values);
        if (!vr.IsText)
        {
            throw new ArgumentException($"{DicomDictionary.NameOf(tag)}: VR {vr} does not hold text.", nameof(vr));
        }

        if (!vr.SplitsOnBackslash && values.Length > 1)
        {
            throw new ArgumentException($"{DicomDictionary.NameOf(tag)}: VR {vr} holds one value, got {values.Length}.", nameof(values));
        }

        byte[] encoded = CharsetFor(vr).Encode(string.Join('\\', values), vr);
        return Put(new DicomElement(tag, vr, Pad(encoded, vr.PaddingByte)));
    }

    /// <summary>Sets text values with the dictionary's VR for <paramref name="tag"/>.</summary>
    public DicomElement AddOrUpdate(DicomTag tag, params string[] values) => AddOrUpdate(tag, DicomDictionary.DefaultVR(tag), values);

    /// <summary>Sets numeric values: DS/IS as text, FD/OD/FL/OF/US/SS/UL/SL/SV/UV as binary.</summary>
    public DicomElement AddOrUpdate(DicomTag tag, DicomVR vr, params double[] values)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(values);
        if (vr == DicomVR.DS)
        {
            var parts = new string[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                parts[i] = DicomValueFormat.FormatDS(values[i]);
            }

            return AddOrUpdate(tag, vr, parts);
        }

        if (vr == DicomVR.IS)
        {
            var parts = new string[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] != Math.Round(values[i]))
                {
                    throw new ArgumentException($"{DicomDictionary.NameOf(tag)}: IS value {values[i]} is not an integer.", nameof(values));
                }

                parts[i] = DicomValueFormat.FormatIS((long)values[i]);
            }

            return AddOrUpdate(tag, vr, parts);
        }

        int size = vr.UnitSize;
        if (vr.Kind == DicomVR.VRKind.Text || vr.Kind == DicomVR.VRKind.Sequence || vr == DicomVR.AT)
        {
            throw new ArgumentException($"{DicomDictionary.NameOf(tag)}: VR {vr} does not hold numbers.", nameof(vr));
        }

        var bytes = new byte[values.Length * size];
        Span<byte> span = bytes;
        for (int i = 0; i < values.Length; i++)
        {
            WriteNumber(span.Slice(i * size, size), vr, values[i], tag);
        }

        return Put(new DicomElement(tag, vr, Pad(bytes, 0)));
    }

    /// <summary>Sets integer values (IS text or binary integer VRs).</summary>
    public DicomElement AddOrUpdate(DicomTag tag, DicomVR vr, params int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var d = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            d[i] = values[i];
        }

        return AddOrUpdate(tag, vr, d);
    }

    /// <summary>Sets AT values.</summary>
    public DicomElement AddOrUpdate(DicomTag tag, params DicomTag[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var bytes = new byte[tags.Length * 4];
        for (int i = 0; i < tags.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4 * i), tags[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4 * i + 2), tags[i].Element);
        }

        return Put(new DicomElement(tag, DicomVR.AT, bytes));
    }

    /// <summary>Sets raw value bytes (little-endian for binary VRs), padded to even length.</summary>
    public DicomElement AddOrUpdate(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        ArgumentNullException.ThrowIfNull(vr);
        if (value.Length % 2 == 1)
        {
            var padded = new byte[value.Length + 1];
            value.Span.CopyTo(padded);
            padded[^1] = vr.PaddingByte;
            value = padded;
        }

        return Put(new DicomElement(tag, vr, value));
    }

    /// <summary>Sets a sequence of items; returns it.</summary>
    public DicomSequence AddSequence(DicomTag tag, IEnumerable<DicomDataset> items)
    {
        var seq = new DicomSequence(tag, items);
        Put(seq);
        return seq;
    }

    /// <summary>
    /// The character set that applies to a VR: the dataset's for SH, LO, ST, LT, PN, UC, UT; the default repertoire for
    /// the rest, so that reading a UID or a date never fails on a Specific Character Set this codec cannot decode.
    /// </summary>
    private DicomCharacterSet CharsetFor(DicomVR vr) => vr.UsesCharacterSet ? CharacterSet : DicomCharacterSet.Default;

    private DicomElement Put(DicomElement element)
    {
        AddOrUpdate(element);
        return element;
    }

    private static byte[] Pad(byte[] bytes, byte padding)
    {
        if (bytes.Length % 2 == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = padding;
        return padded;
    }

    private static void WriteNumber(Span<byte> dest, DicomVR vr, double value, DicomTag tag)
    {
        bool integer = value == Math.Round(value);
        switch (vr.Code)
        {
            case "FD" or "OD":
                BinaryPrimitives.WriteDoubleLittleEndian(dest, value);
                return;
            case "FL" or "OF":
                BinaryPrimitives.WriteSingleLittleEndian(dest, (float)value);
                return;
            case "US" or "OW" when integer && value is >= 0 and <= ushort.MaxValue:
                BinaryPrimitives.WriteUInt16LittleEndian(dest, (ushort)value);
                return;
            case "SS" when integer && value is >= short.MinValue and <= short.MaxValue:
                BinaryPrimitives.WriteInt16LittleEndian(dest, (short)value);
                return;
            case "UL" or "OL" when integer && value is >= 0 and <= uint.MaxValue:
                BinaryPrimitives.WriteUInt32LittleEndian(dest, (uint)value);
                return;
            case "SL" when integer && value is >= int.MinValue and <= int.MaxValue:
                BinaryPrimitives.WriteInt32LittleEndian(dest, (int)value);
                return;
            case "SV" when integer:
                BinaryPrimitives.WriteInt64LittleEndian(dest, (long)value);
                return;
            case "UV" or "OV" when integer && value >= 0:
                BinaryPrimitives.WriteUInt64LittleEndian(dest, (ulong)value);
                return;
            case "OB" or "UN" when integer && value is >= 0 and <= 255:
                dest[0] = (byte)value;
                return;
            default:
                throw new ArgumentException($"{DicomDictionary.NameOf(tag)}: {value.ToString(CultureInfo.InvariantCulture)} does not fit VR {vr}.", nameof(value));
        }
    }

    private static T[] ReadBinaryValues<T>(DicomElement e)
    {
        ReadOnlySpan<byte> b = e.Value.Span;
        int size = e.VR.UnitSize;
        int n = b.Length / size;
        var result = new T[n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> v = b.Slice(i * size, size);
            double d = e.VR.Code switch
            {
                "FD" or "OD" => BinaryPrimitives.ReadDoubleLittleEndian(v),
                "FL" or "OF" => BinaryPrimitives.ReadSingleLittleEndian(v),
                "US" or "OW" => BinaryPrimitives.ReadUInt16LittleEndian(v),
                "SS" => BinaryPrimitives.ReadInt16LittleEndian(v),
                "UL" or "OL" => BinaryPrimitives.ReadUInt32LittleEndian(v),
                "SL" => BinaryPrimitives.ReadInt32LittleEndian(v),
                "SV" => BinaryPrimitives.ReadInt64LittleEndian(v),
                "UV" or "OV" => BinaryPrimitives.ReadUInt64LittleEndian(v),
                _ => v[0],
            };
            result[i] = ConvertNumber<T>(d, e.Tag);
        }

        return result;
    }

    private static T ConvertNumber<T>(double d, DicomTag tag)
    {
        // Each arm boxes its own type: without the casts the switch would unify every arm to double.
        object boxed = Type.GetTypeCode(typeof(T)) switch
        {
            TypeCode.Double => (object)d,
            TypeCode.Single => (object)(float)d,
            TypeCode.Int32 when d == Math.Round(d) && d is >= int.MinValue and <= int.MaxValue => (object)(int)d,
            TypeCode.Int64 when d == Math.Round(d) => (object)(long)d,
            TypeCode.UInt32 when d == Math.Round(d) && d is >= 0 and <= uint.MaxValue => (object)(uint)d,
            TypeCode.UInt16 when d == Math.Round(d) && d is >= 0 and <= ushort.MaxValue => (object)(ushort)d,
            TypeCode.Int16 when d == Math.Round(d) && d is >= short.MinValue and <= short.MaxValue => (object)(short)d,
            _ => throw new DicomFormatException($"value {d.ToString(CultureInfo.InvariantCulture)} of {DicomDictionary.NameOf(tag)} cannot be read as {typeof(T).Name}", -1, tag),
        };
        return (T)boxed;
    }
}
