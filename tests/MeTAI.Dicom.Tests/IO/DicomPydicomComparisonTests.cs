using System.Text.Json;
using MeTAI.Dicom.Imaging;

namespace MeTAI.Dicom.Tests.IO;

/// <summary>
/// The acceptance test of the reader: for every file in pydicom's test_files and charset_files, our view must equal
/// pydicom's (Tools/pydicom_dump.py) element by element — tag, VR and value, file meta included, sequences
/// recursively — and, for native, deflated and RLE files, the decoded pixels must equal pydicom's pixel_array.
/// JPEG / JPEG-LS / JPEG 2000 files must read as datasets; their pixels are compared with dcmtk's and GDCM's decoders
/// in Imaging/CompressedPixelDataTests (pydicom here has no decoder for most of them). Other encapsulated syntaxes
/// refuse pixel access with "unsupported transfer syntax &lt;UID&gt; (&lt;name&gt;)".
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
/// 6. Character sets are not normalised: ISO_IR 100, ISO_IR 192, the other single-byte sets, GB18030 and the ISO 2022
///    code extensions (Japanese, Korean) must decode to exactly pydicom's strings.
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
        PydicomComparer.CompareDataset(expected.GetProperty("meta"), ours.FileMetaInformation, "meta:", diffs);
        PydicomComparer.CompareDataset(expected.GetProperty("dataset"), ours.Dataset, string.Empty, diffs);
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

        if (ts.IsEncapsulated && ts != DicomTransferSyntax.RleLossless)
        {
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
        Assert.Equal(pixels.GetProperty("sha").GetString(), PydicomComparer.Sha(all.ToArray()));
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
