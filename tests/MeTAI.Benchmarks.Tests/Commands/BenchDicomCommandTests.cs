using MeTAI.TestUtilities;

namespace MeTAI.Benchmarks.Tests.Commands;

public class BenchDicomCommandTests
{
    [Fact]
    public void BenchDicom_SmallSeries_ReportsThroughputOfEveryFile()
    {
        string dir = RepositoryPaths.TempDir("bench-dicom");
        System.Text.Json.JsonElement json = BenchRunner.Json("bench", "dicom", "--slices", "4", "--size", "64", "--runs", "2", "--dir", dir, "--json");

        Assert.Equal(4, json.GetProperty("files").GetInt32());
        // 4 slices of 64×64 16-bit pixels plus headers.
        Assert.True(json.GetProperty("bytes").GetInt64() > 4 * 64 * 64 * 2);
        Assert.True(json.GetProperty("mbPerSecond").GetDouble() > 0);
        Assert.Equal(4, Directory.GetFiles(dir, "CT*.dcm").Length);
    }

    [Fact]
    public void BenchDicom_ZeroSlices_FailsWithClearError()
    {
        (int code, _, string stderr) = BenchRunner.Run("bench", "dicom", "--slices", "0", "--json");
        Assert.Equal(1, code);
        Assert.Contains("slices", stderr, StringComparison.OrdinalIgnoreCase);
    }
}
