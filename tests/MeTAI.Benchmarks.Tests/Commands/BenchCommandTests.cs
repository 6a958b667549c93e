namespace MeTAI.Benchmarks.Tests.Commands;

public class BenchCommandTests
{
    [Fact]
    public void BenchSoftbody_SmallMesh_PrintsStepsPerSecondWithSubsteps()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = BenchApp.Run(["bench", "softbody", "--tets", "1000", "--threads", "1", "--seconds", "0.2", "--repeats", "1"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        string text = stdout.ToString();
        Assert.Contains("4 substeps x 1 iteration", text);
        Assert.Contains("steps/s", text);
        string row = text.Split('\n').Single(l => l.TrimStart().StartsWith("1000 ", StringComparison.Ordinal));
        Assert.True(double.Parse(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[8], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public void Bench_ListsSoftbody()
    {
        var stdout = new StringWriter();
        BenchApp.Run(["bench", "--help"], stdout, new StringWriter());
        Assert.Contains("softbody", stdout.ToString());
    }

    [Fact]
    public void BenchSoftbody_BadTets_IsAClearError()
    {
        var stderr = new StringWriter();
        int code = BenchApp.Run(["bench", "softbody", "--tets", "ten"], new StringWriter(), stderr);
        Assert.Equal(1, code);
        Assert.Contains("--tets", stderr.ToString());
    }
}
