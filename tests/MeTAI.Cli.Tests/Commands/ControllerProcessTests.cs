using System.Diagnostics;
using System.Text.Json;

namespace MeTAI.Cli.Tests.Commands;

/// <summary>The real-time verbs start themselves again with a small gen0 budget (ControllerProcess).</summary>
public sealed class ControllerProcessTests
{
    [Theory]
    [InlineData(new[] { "control", "--robot", "r.json" }, true)]
    [InlineData(new[] { "bench", "control", "--seconds", "1" }, true)]
    [InlineData(new[] { "bench", "dose" }, false)]
    [InlineData(new[] { "hil", "campaign" }, false)]
    [InlineData(new string[0], false)]
    public void RealtimeVerbs_AreControlAndBenchControl(string[] args, bool expected) =>
        Assert.Equal(expected, ControllerProcess.IsRealtimeVerb(args));

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
    public async Task BenchControl_AsAProcess_RunsWithTheControllerGen0Budget()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "metai.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { dll, "bench", "control", "--seconds", "1", "--json", "--robot", Path.Combine(CliRunner.RepositoryRoot(), "configs", "robots", "metai-arm6.json") })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove(ControllerProcess.Gen0SizeVariable);
        using Process p = Process.Start(start)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = await p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {await stderr}");
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.Equal(4_194_304L, doc.RootElement.GetProperty("gcGen0BudgetBytes").GetInt64());
        Assert.True(doc.RootElement.GetProperty("gcCount").GetInt32() >= 0);
        Assert.True(doc.RootElement.TryGetProperty("gcPauseMaxMs", out _));
    }
}
