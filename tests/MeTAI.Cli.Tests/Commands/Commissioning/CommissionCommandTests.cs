using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.Commissioning;

/// <summary>
/// <c>metai commission</c>'s refusals: one line on stderr naming the file and line (or field), exit code 1, nothing
/// written. The fit itself is tested in MeTAI.Planner.Tests (Commissioning/).
/// </summary>
public class CommissionCommandTests
{
    [Fact]
    public void Commission_MalformedTankFile_OneLineNamingFileAndLine()
    {
        string data = CliRunner.TempDir("commission-bad");
        string file = Path.Combine(data, "pdd.csv");
        File.WriteAllText(file, "# type: pdd\n# field_mm: 100 x 100\n# ssd_mm: 1000\ndepth_mm,value\n15,100\n50,8x6\n");
        string output = Path.Combine(CliRunner.TempDir("commission-out"), "fitted.json");
        (int code, string stdout, string stderr) = CliRunner.Run("commission", "--beam-data", data, "--base", RepositoryPaths.Config("beams", "6MV-mohan.json"), "--out", output);
        Assert.Equal(1, code);
        Assert.Equal($"metai: {file}:6: column 2: '8x6' is not a number", stderr.Trim());
        Assert.DoesNotContain("\n", stderr.Trim(), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Commission_VirtualSourceBase_RefusedNamingTheField()
    {
        string dir = CliRunner.TempDir("commission-vsm");
        string baseFile = Path.Combine(dir, "6MV.json");
        File.WriteAllText(baseFile, "{ \"virtualSource\": {} }");
        (int code, _, string stderr) = CliRunner.Run("commission", "--beam-data", RepositoryPaths.Config("beam-data", "6MV-generic"), "--base", baseFile, "--out", Path.Combine(dir, "out.json"));
        Assert.Equal(1, code);
        Assert.Contains($"--base {baseFile}: field 'virtualSource'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Commission_OutIsTheBase_Refused()
    {
        string baseFile = RepositoryPaths.Config("beams", "6MV-mohan.json");
        (int code, _, string stderr) = CliRunner.Run("commission", "--beam-data", RepositoryPaths.Config("beam-data", "6MV-generic"), "--base", baseFile, "--out", baseFile);
        Assert.Equal(1, code);
        Assert.Contains("is the base file", stderr, StringComparison.Ordinal);
    }
}
