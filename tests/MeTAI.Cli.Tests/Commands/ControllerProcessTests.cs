using System.Diagnostics;
using System.Text.Json;

namespace MeTAI.Cli.Tests.Commands;

/// <summary>With DOTNET_GCgen0size set, the control verbs run the loop's GC slot (ControllerProcess).</summary>
public sealed class ControllerProcessTests
{
    [Theory]
    [InlineData("0x400000", 4_194_304L)]
    [InlineData("400000", 4_194_304L)]
    [InlineData("0X200000", 2_097_152L)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("lots", null)]
    public void Gen0Size_IsReadAsHexadecimalLikeTheRuntimeDoes(string? value, long? bytes) =>
        Assert.Equal(bytes, ControllerProcess.ParseGen0Size(value));

    [Fact]
    public async Task BenchControl_WithAGen0Budget_LoopRunsTheCollections()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "metai.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { dll, "bench", "control", "--seconds", "1", "--json", "--robot", Path.Combine(CliRunner.RepositoryRoot(), "configs", "robots", "metai-arm6.json"),
            "--no-gc-region-mb", "0" })
        {
            // (The slot runs only with the no-GC region off: its collections would end the region.)
            start.ArgumentList.Add(a);
        }

        start.Environment[ControllerProcess.Gen0SizeVariable] = "0x400000";
        using Process p = Process.Start(start)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = await p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {await stderr}");
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.Equal(4_194_304L, doc.RootElement.GetProperty("gcGen0BudgetBytes").GetInt64());
        Assert.True(doc.RootElement.GetProperty("gcSlots").GetInt64() >= 1, "the loop ran no collection in its slot");
        Assert.True(doc.RootElement.TryGetProperty("gcPauseMaxMs", out _));
    }
}
