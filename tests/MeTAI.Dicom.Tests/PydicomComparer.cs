using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace MeTAI.Dicom.Tests;

/// <summary>
/// Compares our datasets with pydicom's JSON view (Tools/pydicom_dump.py); the normalisations are documented on
/// <see cref="IO.DicomPydicomComparisonTests"/>.
/// </summary>
internal static class PydicomComparer
{
    public static void CompareDataset(JsonElement expected, DicomDataset ours, string path, List<string> diffs)
    {
        var exp = expected.EnumerateArray().ToList();
        var act = ours.ToList();
        int n = Math.Max(exp.Count, act.Count);
        for (int i = 0; i < n; i++)
        {
            if (i >= exp.Count)
            {
                diffs.Add($"{path}{act[i].Tag}: extra element (ours only)");
                continue;
            }

            DicomTag tag = DicomTag.Parse(exp[i].GetProperty("tag").GetString()!);
            if (i >= act.Count || act[i].Tag != tag)
            {
                diffs.Add($"{path}{tag}: pydicom has it here, ours has {(i < act.Count ? act[i].Tag.ToString() : "nothing")}");
                return;
            }

            CompareElement(exp[i], act[i], ours, $"{path}{tag}", diffs);
        }
    }

    private static void CompareElement(JsonElement expected, DicomElement ours, DicomDataset owner, string path, List<string> diffs)
    {
        string vr = expected.GetProperty("vr").GetString()!;
        if (vr != ours.VR.Code)
        {
            if (ours.VR == DicomVR.UN && ours.Tag.IsPrivate && vr != "SQ")
            {
                // pydicom knows some private tags from its private dictionary and converts their UN value; we have
                // no private dictionary, so read our bytes with pydicom's VR and compare the values.
                ours = new DicomElement(ours.Tag, DicomVR.Parse(vr), ours.Value);
            }
            else
            {
                diffs.Add($"{path}: VR pydicom {vr}, ours {ours.VR}");
                return;
            }
        }

        JsonElement value = expected.GetProperty("value");
        if (ours is DicomSequence seq)
        {
            var items = value.EnumerateArray().ToList();
            if (items.Count != seq.Items.Count)
            {
                diffs.Add($"{path}: {items.Count} items in pydicom, {seq.Items.Count} in ours");
                return;
            }

            for (int k = 0; k < items.Count; k++)
            {
                CompareDataset(items[k], seq.Items[k], $"{path}[{k}].", diffs);
            }

            return;
        }

        if (ours is DicomFragmentSequence frags)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("bot", out JsonElement bot))
            {
                diffs.Add($"{path}: fragments in ours, {value.ValueKind} in pydicom");
                return;
            }

            var fragments = value.GetProperty("fragments").EnumerateArray().Select(f => f.GetString()).ToList();
            if (bot.GetString() != Sha(frags.BasicOffsetTable.Span) || !fragments.SequenceEqual(frags.Fragments.Select(f => Sha(f.Span))))
            {
                diffs.Add($"{path}: encapsulated fragments differ ({fragments.Count} pydicom, {frags.Fragments.Count} ours)");
            }

            return;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            string sha = Sha(ours.Value.Span);
            if (value.GetProperty("len").GetInt32() != ours.Length || value.GetProperty("sha").GetString() != sha)
            {
                diffs.Add($"{path}: bytes differ (pydicom {value.GetProperty("len").GetInt32()} bytes, ours {ours.Length})");
            }

            return;
        }

        if (ours.VR.IsText)
        {
            string[] mine = Normalise(Strings(owner, ours), ours.VR);
            string[] theirs = Normalise(value.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToArray(), ours.VR);
            if (!mine.SequenceEqual(theirs))
            {
                diffs.Add($"{path}: text pydicom [{string.Join('|', theirs)}], ours [{string.Join('|', mine)}]");
            }

            return;
        }

        string[] ourNumbers = Numbers(ours);
        string[] pyNumbers = value.EnumerateArray().Select(PyNumber).ToArray();
        if (!ourNumbers.SequenceEqual(pyNumbers))
        {
            diffs.Add($"{path}: values pydicom [{string.Join(',', pyNumbers)}], ours [{string.Join(',', ourNumbers)}]");
        }
    }

    private static string[] Normalise(string[] values, DicomVR vr)
    {
        bool freeText = vr == DicomVR.ST || vr == DicomVR.LT || vr == DicomVR.UT || vr == DicomVR.UC;
        var list = values.Select(v => freeText ? v.TrimEnd(' ', '\0') : v.Trim(' ', '\0')).ToArray();
        if (vr == DicomVR.PN)
        {
            // PS3.5 §6.2.1.1: trailing empty component groups ('=') and trailing component delimiters ('^') are
            // insignificant; pydicom drops them, we keep the bytes as written.
            list = list.Select(v => string.Join('=', v.TrimEnd('=').Split('=').Select(g => g.TrimEnd('^')))).ToArray();
        }

        return list.Length == 1 && list[0].Length == 0 ? [] : list;
    }

    /// <summary>Our text values of an element (a re-typed private element is decoded in its owner's character set).</summary>
    private static string[] Strings(DicomDataset owner, DicomElement e)
    {
        if (owner.TryGetElement(e.Tag, out DicomElement stored) && stored.VR == e.VR)
        {
            return owner.GetStrings(e.Tag);
        }

        string text = (e.VR.UsesCharacterSet ? owner.CharacterSet : DicomCharacterSet.Default).Decode(e.Value.Span, e.VR);
        return text.Length == 0 ? [] : e.VR.SplitsOnBackslash ? text.Split('\\') : [text];
    }

    /// <summary>Our binary values as canonical text: integers in decimal, floats as the double's round-trip text.</summary>
    private static string[] Numbers(DicomElement e)
    {
        ReadOnlySpan<byte> b = e.Value.Span;
        int size = e.VR.UnitSize;
        var result = new List<string>();
        for (int i = 0; i + size <= b.Length; i += size)
        {
            ReadOnlySpan<byte> v = b.Slice(i, size);
            result.Add(e.VR.Code switch
            {
                "US" => BinaryPrimitives.ReadUInt16LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "SS" => BinaryPrimitives.ReadInt16LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "UL" => BinaryPrimitives.ReadUInt32LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "SL" => BinaryPrimitives.ReadInt32LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "SV" => BinaryPrimitives.ReadInt64LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "UV" => BinaryPrimitives.ReadUInt64LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "FL" => Float(BinaryPrimitives.ReadSingleLittleEndian(v)),
                "FD" => Float(BinaryPrimitives.ReadDoubleLittleEndian(v)),
                "AT" => $"{BinaryPrimitives.ReadUInt16LittleEndian(v):X4}{BinaryPrimitives.ReadUInt16LittleEndian(v[2..]):X4}",
                _ => $"?{e.VR}",
            });
        }

        return [.. result];
    }

    private static string PyNumber(JsonElement v) =>
        v.ValueKind switch
        {
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String when v.GetString() is { } s && s.Length == 8 && uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _) => s,
            JsonValueKind.String => Float(ParsePyFloat(v.GetString()!)),
            _ => v.GetRawText(),
        };

    private static double ParsePyFloat(string s) =>
        s switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        };

    private static string Float(double d) => "f" + BitConverter.DoubleToInt64Bits(d).ToString("X16", CultureInfo.InvariantCulture);

    public static string Sha(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

}
