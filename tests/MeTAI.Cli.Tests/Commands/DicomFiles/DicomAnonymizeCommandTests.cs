using System.Text.Json;
using MeTAI.Dicom;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.DicomFiles;

public class DicomAnonymizeCommandTests
{
    [Fact]
    public void Anonymize_PhantomDirectoryWithKey_ReferencesResolveAndUidsRepeatable()
    {
        string dir = CliRunner.TempDir("anon");
        Assert.Equal(0, CliRunner.Run("phantom", "tg119-cshape", "--voxel", "10", "--out", Path.Combine(dir, "in")).ExitCode);

        (int code, string stdout, string stderr) = CliRunner.Run("dicom", "anonymize", Path.Combine(dir, "in"), Path.Combine(dir, "a"), "--key", "s3cret");
        Assert.True(code == 0, stderr);
        Assert.Contains("anonymized", stdout, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("dicom", "anonymize", Path.Combine(dir, "in"), Path.Combine(dir, "b"), "--key", "s3cret").ExitCode);
        Assert.Equal(0, CliRunner.Run("dicom", "anonymize", Path.Combine(dir, "in"), Path.Combine(dir, "c")).ExitCode);

        JsonElement a = CliRunner.Json("dicom", "info", Path.Combine(dir, "a", "ct"), "--json");
        JsonElement b = CliRunner.Json("dicom", "info", Path.Combine(dir, "b", "ct"), "--json");
        JsonElement c = CliRunner.Json("dicom", "info", Path.Combine(dir, "c", "ct"), "--json");
        JsonElement original = CliRunner.Json("dicom", "info", Path.Combine(dir, "in", "ct"), "--json");
        Assert.Equal(a.GetProperty("seriesInstanceUid").GetString(), b.GetProperty("seriesInstanceUid").GetString());
        Assert.NotEqual(a.GetProperty("seriesInstanceUid").GetString(), c.GetProperty("seriesInstanceUid").GetString());
        Assert.NotEqual(original.GetProperty("seriesInstanceUid").GetString(), a.GetProperty("seriesInstanceUid").GetString());
        JsonElement rois = CliRunner.Json("dicom", "info", Path.Combine(dir, "a", "rtstruct.dcm"), "--json");
        Assert.Equal(3, rois.GetProperty("rois").GetArrayLength());
    }

    [Fact]
    public void Anonymize_SingleFileRetainingUids_KeepsUids()
    {
        string dir = CliRunner.TempDir("anon-file");
        string output = Path.Combine(dir, "plan.dcm");

        Assert.Equal(0, CliRunner.Run("dicom", "anonymize", Path.Combine(CliRunner.PydicomTestFiles, "rtplan.dcm"), output, "--retain-uids", "--retain-dates").ExitCode);

        JsonElement info = CliRunner.Json("dicom", "info", output, "--json");
        Assert.Equal("RTPLAN", info.GetProperty("modality").GetString());
        Assert.Equal(116.0, info.GetProperty("beams")[0].GetProperty("mu").GetDouble(), 0.01);
    }

    [ToolFact("dcmcjpls")]
    public void Anonymize_CompressedFolderWithCorruptFile_ListsItExits1AndWritesTheRest()
    {
        string dir = CliRunner.TempDir("anon-compressed");
        string input = Path.Combine(dir, "in");
        Assert.Equal(0, CliRunner.Run("phantom", "water", "--voxel", "20", "--out", input).ExitCode);
        string[] slices = [.. Directory.GetFiles(Path.Combine(input, "ct"), "*.dcm").Order(StringComparer.Ordinal)];
        foreach (string slice in slices)
        {
            Assert.Equal(0, OutsideTools.Run("dcmcjpls", slice, slice + ".jls").ExitCode);
            File.Move(slice + ".jls", slice, overwrite: true);
        }

        string corrupt = slices[2];
        byte[] bytes = File.ReadAllBytes(corrupt);
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 2)]);
        string notes = Path.Combine(input, "notes.txt");
        File.WriteAllText(notes, "export notes");
        string output = Path.Combine(dir, "out");

        (int code, string stdout, string stderr) = CliRunner.Run("dicom", "anonymize", input, output);

        Assert.Equal(1, code);
        Assert.Contains($"metai: not anonymized: {corrupt}: ", stderr, StringComparison.Ordinal);
        Assert.Contains("metai: 1 file could not be anonymized", stderr, StringComparison.Ordinal);
        Assert.Contains($"skipped (not DICOM): {notes}", stdout, StringComparison.Ordinal);
        Assert.Contains($"anonymized {slices.Length} files", stdout, StringComparison.Ordinal); // the other slices and the RTSTRUCT
        string[] written = Directory.GetFiles(Path.Combine(output, "ct"), "*.dcm");
        Assert.Equal(slices.Length - 1, written.Length);
        Assert.False(File.Exists(Path.Combine(output, "ct", Path.GetFileName(corrupt))));
        Assert.All(written, f => Assert.Equal(DicomTransferSyntax.JpegLsLossless, DicomFile.Open(f).TransferSyntax));
    }

    [Fact]
    public void Anonymize_MissingInput_ErrorExit1()
    {
        (int code, _, string stderr) = CliRunner.Run("dicom", "anonymize", "/no/such/dir", CliRunner.TempDir("x"));

        Assert.Equal(1, code);
        Assert.StartsWith("metai: /no/such/dir", stderr, StringComparison.Ordinal);
    }
}
