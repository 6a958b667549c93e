using System.Text.Json;
using MeTAI.Dicom.Deid;
using MeTAI.Dicom.Imaging;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Dicom.Tests.Rt;
using OutsideTools = MeTAI.TestUtilities.OutsideTools;

namespace MeTAI.Dicom.Tests.Deid;

/// <summary>
/// De-identification of a folder of compressed CT slices (dcmtk's dcmcjpls and dcmcjpeg) with one corrupt file and one
/// that is not DICOM: every good file is written in its own transfer syntax with its fragments byte for byte (checked
/// by pydicom and dcmdump), the corrupt one is named with its reason and nothing is written for it, the other is
/// listed as skipped.
/// </summary>
public class DeidentifierCompressedTests
{
    // pydicom's view of each file: transfer syntax, patient name, identity removed, SHA-256 of each fragment.
    private const string Script = """
        import sys, json, hashlib, pydicom
        from pydicom.encaps import generate_pixel_data_fragment
        from pydicom.filebase import DicomBytesIO
        for path in sys.argv[1:]:
            ds = pydicom.dcmread(path)
            fp = DicomBytesIO(ds.PixelData); fp.is_little_endian = True
            frags = [hashlib.sha256(f).hexdigest() for f in generate_pixel_data_fragment(fp)]
            print(json.dumps({"file": path, "ts": str(ds.file_meta.TransferSyntaxUID), "name": str(ds.get("PatientName", "")),
                              "removed": str(ds.get("PatientIdentityRemoved", "")), "frags": frags}))
        """;

    [ToolFact("dcmcjpls", "dcmcjpeg", "dcmdump", "pydicom")]
    public void DeidentifyFolder_CompressedSeriesWithACorruptFile_WritesTheRestKeepingFragments()
    {
        CtSeries ct = RtTestData.Ct(8);
        string input = RtTestData.TempDir("deid-compressed-in");
        RtStudyWriter.Write(input, ct, RtTestData.Masks(ct.Geometry));
        string[] slices = [.. Directory.GetFiles(Path.Combine(input, RtStudyWriter.CtDirectory), "*.dcm").Order(StringComparer.Ordinal)];
        Assert.True(slices.Length >= 6);
        for (int i = 0; i < slices.Length; i++)
        {
            string compressed = slices[i] + ".tmp";
            ProcessOutput r = i % 2 == 0 ? OutsideTools.Run("dcmcjpls", slices[i], compressed) : OutsideTools.Run("dcmcjpeg", "+el", slices[i], compressed);
            Assert.True(r.ExitCode == 0, r.Output);
            File.Move(compressed, slices[i], overwrite: true);
        }

        string corrupt = slices[3];
        byte[] whole = File.ReadAllBytes(corrupt);
        File.WriteAllBytes(corrupt, whole[..(whole.Length - 300)]);
        string notDicom = Path.Combine(input, "README.txt");
        File.WriteAllText(notDicom, "exported by a PACS\n");
        string output = RtTestData.TempDir("deid-compressed-out");

        DeidentificationReport report = new Deidentifier(new DeidentificationOptions { Key = "k" }).DeidentifyFolder(input, output);

        Assert.False(report.Succeeded);
        DeidentificationFailure failed = Assert.Single(report.Failed);
        Assert.Equal(corrupt, failed.Path);
        Assert.Contains("remain", failed.Reason, StringComparison.Ordinal); // "… needs 8 bytes, 4 remain (byte offset …)"
        Assert.Equal(notDicom, Assert.Single(report.Skipped).Path);
        Assert.Equal(slices.Length, report.Written.Count); // the other slices and the RTSTRUCT
        string[] outputs = [.. Directory.GetFiles(output, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        Assert.Equal(report.Written.Order(StringComparer.Ordinal), outputs); // nothing for the corrupt file, no temporary left

        string[] good = [.. slices.Where(s => s != corrupt)];
        string[] written = [.. good.Select(s => Path.Combine(output, Path.GetRelativePath(input, s)))];
        Dictionary<string, JsonElement> before = Pydicom(good), after = Pydicom(written);
        for (int i = 0; i < good.Length; i++)
        {
            JsonElement b = before[good[i]], a = after[written[i]];
            Assert.Equal(b.GetProperty("ts").GetString(), a.GetProperty("ts").GetString());
            Assert.StartsWith("1.2.840.10008.1.2.4.", a.GetProperty("ts").GetString(), StringComparison.Ordinal);
            Assert.Equal(b.GetProperty("frags").ToString(), a.GetProperty("frags").ToString());
            Assert.NotEqual(string.Empty, b.GetProperty("name").GetString());
            Assert.Equal(string.Empty, a.GetProperty("name").GetString());
            Assert.Equal("YES", a.GetProperty("removed").GetString());

            ProcessOutput dump = OutsideTools.Run("dcmdump", "-q", written[i]);
            Assert.True(dump.ExitCode == 0 && dump.Stderr.Length == 0, dump.Output);
            Assert.Contains(b.GetProperty("ts").GetString()!, OutsideTools.Run("dcmdump", "-q", "-Un", "+P", "0002,0010", written[i]).Stdout, StringComparison.Ordinal);
            Assert.Equal(DicomPixelData.Create(DicomFile.Open(good[i])).GetFrame(0), DicomPixelData.Create(DicomFile.Open(written[i])).GetFrame(0));
        }
    }

    [ToolFact("dcmcjpeg")]
    public void DeidentifyDirectory_CorruptFile_ThrowsNamingItAfterWritingTheRest()
    {
        string input = RtTestData.TempDir("deid-dir-in");
        string output = RtTestData.TempDir("deid-dir-out");
        CtSeries ct = RtTestData.Ct(8);
        RtStudyWriter.Write(input, ct, RtTestData.Masks(ct.Geometry));
        string bad = Path.Combine(input, "bad.dcm");
        File.WriteAllBytes(bad, [.. new byte[128], .. "DICM"u8.ToArray(), 0x02, 0x00]);

        var ex = Assert.Throws<DicomFormatException>(() => new Deidentifier().DeidentifyDirectory(input, output));

        Assert.Contains("1 file(s) could not be de-identified: " + bad + ":", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ct.Geometry.SizeZ + 1, Directory.GetFiles(output, "*.dcm", SearchOption.AllDirectories).Length);
    }

    private static Dictionary<string, JsonElement> Pydicom(string[] files)
    {
        ProcessOutput r = OutsideTools.Run(OutsideTools.Python, ["-c", Script, .. files]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return Tests.Pydicom.JsonLines(r.Stdout).ToDictionary(e => e.GetProperty("file").GetString()!, StringComparer.Ordinal);
    }
}
