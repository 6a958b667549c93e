namespace MeTAI.Cli.Tests.Commands;

public class DemoCommandTests
{
    [Fact]
    public void Demo_Default_WritesProstateReadsBackAndExits0()
    {
        string dir = CliRunner.TempDir("demo");

        (int code, string stdout, string stderr) = CliRunner.Run("demo", "--out", dir);

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("CT: 67 slices", stdout, StringComparison.Ordinal);
        Assert.Contains("grid 133×93×67", stdout, StringComparison.Ordinal);
        Assert.Contains("references: consistent", stdout, StringComparison.Ordinal);
        Assert.Contains("read-back masks: identical volumes", stdout, StringComparison.Ordinal);
        Assert.Matches(@"PTV\s+PTV\s+67\.257\s+67\.257", stdout);
        Assert.True(File.Exists(Path.Combine(dir, "rtstruct.dcm")));
        Assert.True(File.Exists(Path.Combine(dir, "ct", "CT.67.dcm")));
    }
}
