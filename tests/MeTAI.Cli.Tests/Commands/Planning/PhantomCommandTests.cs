namespace MeTAI.Cli.Tests.Commands.Planning;

public class PhantomCommandTests
{
    [Fact]
    public void Phantom_Prostate_WritesCtAndRtstruct()
    {
        string dir = CliRunner.TempDir("phantom");

        (int code, string stdout, string stderr) = CliRunner.Run("phantom", "prostate", "--voxel", "6", "--out", dir);

        Assert.True(code == 0, stderr);
        Assert.Contains("prostate", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "rtstruct.dcm")));
        Assert.Equal(33, Directory.GetFiles(Path.Combine(dir, "ct"), "CT.*.dcm").Length);
        var rois = CliRunner.Json("dicom", "info", Path.Combine(dir, "rtstruct.dcm"), "--json").GetProperty("rois").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["External", "PTV", "CTV", "Rectum", "Bladder", "FemoralHead_L", "FemoralHead_R"], rois);
    }

    [Fact]
    public void Phantom_UnknownName_ErrorListsValidNames()
    {
        string dir = CliRunner.TempDir("phantom-bad");

        (int code, _, string stderr) = CliRunner.Run("phantom", "banana", "--voxel", "3", "--out", dir);

        Assert.Equal(1, code);
        Assert.Contains("banana", stderr, StringComparison.Ordinal);
        Assert.Contains("water, slab-lung, slab-bone, tg119-cshape, prostate, multitarget, liver-needle", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void Phantom_VoxelOutOfRange_ErrorExit1()
    {
        (int code, _, string stderr) = CliRunner.Run("phantom", "water", "--voxel", "0", "--out", CliRunner.TempDir("phantom-voxel"));

        Assert.Equal(1, code);
        Assert.Contains("--voxel", stderr, StringComparison.Ordinal);
    }
}
