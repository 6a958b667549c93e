using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MeTAI.Dicom.Imaging;

namespace MeTAI.Dicom.Tests.IO;

/// <summary>
/// The acceptance test of the reader: for every file in pydicom's test_files and charset_files, our view must equal
/// pydicom's (Tools/pydicom_dump.py) element by element — tag, VR and value, file meta included, sequences
/// recursively — and, for native, deflated and RLE files, the decoded pixels must equal pydicom's pixel_array.
/// JPEG / JPEG-LS / JPEG 2000 files must read as datasets and refuse pixel access with
/// "unsupported transfer syntax &lt;UID&gt; (&lt;name&gt;)".
///
/// Deliberate normalisations (each is a difference of representation, not of content):
/// 1. Values are compared as lists (pydicom returns a scalar for one value); an empty value equals [""] and [].
/// 2. Text: spaces that PS3.5 Table 6.2-1 calls insignificant are trimmed on both sides before comparing — leading and
///    trailing for every text VR except ST, LT, UT, UC (trailing only); trailing NULs too. pydicom strips only the
///    end of the whole value for CS/DA/TM/UI…, we strip each value.
/// 3. Byte values (OB, OW, OF, OD, OL, OV, UN) are compared by length and SHA-256. In big-endian files the script swaps
///    OW/OF/OD/OL/OV to little-endian first: our model holds every binary value little-endian, pydicom keeps file order.
///    Pixel Data with more than 16 bits allocated is swapped per pixel cell (4 bytes for 32 bits), as pydicom and
///    dcmtk read it, not per 16-bit OW word.
/// 4. Floats are compared bit for bit through Python's repr (exact round trip).
/// 5. Encapsulated pixel data: the Basic Offset Table and each fragment by SHA-256 (pydicom keeps the raw item stream).
/// 6. Files with a code-extension Specific Character Set (ISO 2022 with more than one term: Japanese, Korean) are
///    compared on everything except charset-dependent text (SH, LO, ST, LT, PN, UC, UT), which this codec does not
///    decode with escape sequences. ISO_IR 100, ISO_IR 192 and the other single-byte sets are compared exactly.
/// 7. Damaged files: pydicom silently reads past the end of a truncated file (MR_truncated, rtplan_truncated, and
///    no_meta, whose stray first byte turns the first length into 0x0A534300); the script flags a top-level value
///    shorter than its declared length as "truncated", and there we must throw DicomFormatException with an offset.
/// 8. Pixels: pydicom's pixel_array is (frames, rows, cols, samples) little-endian; we compare our interleaved frames
///    concatenated. 1-bit data: we keep bits packed, pydicom unpacks to a byte per pixel; the test unpacks ours.
///    Native YBR_FULL_422 is expanded to one (Y, Cb, Cr) triple per pixel by both.
/// 9. Private elements stored as UN that pydicom types from its private dictionary are compared by reading our bytes
///    with pydicom's VR (we have no private dictionary, so we keep UN).
/// </summary>
public class DicomPydicomComparisonTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Dumps = new(LoadDumps);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string f in TestFiles.AllRelative())
        {
            data.Add(f);
        }

        return data;
    }

    [PydicomFact]
    public void Corpus_HasTheFilesTheBriefNames()
    {
        var names = TestFiles.AllRelative().Select(Path.GetFileName).ToHashSet();
        foreach (string f in new[] { "MR_small_RLE.dcm", "SC_rgb_rle.dcm", "rtdose_rle.dcm", "image_dfl.dcm", "MR_small_bigendian.dcm", "chrFren.dcm", "chrX1.dcm", "no_meta_group_length.dcm", "meta_missing_tsyntax.dcm", "ExplVR_BigEndNoMeta.dcm" })
        {
            Assert.Contains(f, names);
        }

        Assert.True(Dumps.Value.Count >= 80, $"pydicom dumped {Dumps.Value.Count} files");
    }

    [PydicomTheory]
    [MemberData(nameof(Files))]
    public void Read_MatchesPydicom(string file)
    {
        JsonElement expected = Dumps.Value[file];
        string path = TestFiles.Resolve(file);
        if (expected.TryGetProperty("error", out JsonElement pyError))
        {
            var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(path));
            Assert.True(ex.Offset >= 0, $"pydicom: {pyError}; ours: {ex.Message}");
            return;
        }

        if (expected.GetProperty("truncated").GetBoolean())
        {
            var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(path));
            Assert.True(ex.Offset >= 0 && ex.Tag is not null, ex.Message);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            return;
        }

        DicomFile ours = DicomFile.Open(path);
        var diffs = new List<string>();
        CompareDataset(expected.GetProperty("meta"), ours.FileMetaInformation, "meta:", diffs);
        CompareDataset(expected.GetProperty("dataset"), ours.Dataset, string.Empty, diffs);
        Assert.True(diffs.Count == 0, $"{diffs.Count} differences from pydicom:\n" + string.Join('\n', diffs.Take(40)));

        ComparePixels(expected, ours);
    }

    private static void ComparePixels(JsonElement expected, DicomFile ours)
    {
        if (!ours.Dataset.Contains(DicomTags.PixelData))
        {
            Assert.False(expected.TryGetProperty("pixels", out _));
            return;
        }

        DicomTransferSyntax ts = ours.TransferSyntax;
        if (!ts.PixelDataSupported)
        {
            var ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ours));
            Assert.Contains($"unsupported transfer syntax {ts.Uid} ({ts.Name})", ex.Message, StringComparison.Ordinal);
            return;
        }

        if (!expected.TryGetProperty("pixels", out JsonElement pixels))
        {
            // pydicom cannot make a pixel array (missing Rows, bad Number of Frames, …): neither may we.
            Assert.Throws<DicomFormatException>(() =>
            {
                DicomPixelData p = DicomPixelData.Create(ours);
                for (int i = 0; i < p.NumberOfFrames; i++)
                {
                    p.GetFrame(i);
                }
            });
            return;
        }

        DicomPixelData data = DicomPixelData.Create(ours);
        using var all = new MemoryStream();
        for (int i = 0; i < data.NumberOfFrames; i++)
        {
            byte[] frame = data.GetFrame(i);
            if (data.BitsAllocated == 1)
            {
                frame = UnpackBits(frame, data.Rows * data.Columns * data.SamplesPerPixel);
            }

            all.Write(frame);
        }

        long count = 1;
        foreach (JsonElement d in pixels.GetProperty("shape").EnumerateArray())
        {
            count *= d.GetInt64();
        }

        int itemSize = data.BitsAllocated == 1 ? 1 : data.BitsAllocated / 8;
        Assert.Equal(count * itemSize, all.Length);
        Assert.Equal(pixels.GetProperty("sha").GetString(), Sha(all.ToArray()));
    }

    private static byte[] UnpackBits(byte[] packed, int count)
    {
        var bytes = new byte[count];
        for (int i = 0; i < count; i++)
        {
            bytes[i] = (byte)((packed[i >> 3] >> (i & 7)) & 1);
        }

        return bytes;
    }

    private static void CompareDataset(JsonElement expected, DicomDataset ours, string path, List<string> diffs)
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
            if (ours.VR.UsesCharacterSet && UsesCodeExtensions(owner))
            {
                return;
            }

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

    /// <summary>True when the Specific Character Set in force has several terms (ISO 2022 code extensions).</summary>
    private static bool UsesCodeExtensions(DicomDataset dataset)
    {
        for (DicomDataset? d = dataset; d is not null; d = d.Parent)
        {
            if (d.Contains(DicomTags.SpecificCharacterSet))
            {
                return d.GetStrings(DicomTags.SpecificCharacterSet).Length > 1;
            }
        }

        return false;
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

    private static string Sha(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static Dictionary<string, JsonElement> LoadDumps()
    {
        IReadOnlyList<string> files = TestFiles.AllRelative();
        string output = Pydicom.Run("pydicom_dump.py", files.Select(TestFiles.Resolve));
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonElement line in Pydicom.JsonLines(output))
        {
            string full = line.GetProperty("file").GetString()!;
            result[Path.GetRelativePath(TestFiles.PydicomData, full)] = line;
        }

        return result;
    }
}
