using System.Diagnostics;
using System.Text.Json;
using MeTAI.TestUtilities;

namespace MeTAI.Benchmarks.Tests.Commands;

/// <summary><c>metai bench control</c>: the 1 kHz controller against its twins on real transports.</summary>
public sealed class BenchControlCommandTests
{
    [Fact]
    public void BenchControl_OneSecond_PrintsEveryFigure()
    {
        var json = BenchRunner.Json("bench", "control", "--seconds", "1", "--json", "--robot", RepositoryPaths.Config("robots", "metai-arm6.json"));
        Assert.True(json.GetProperty("rateHz").GetDouble() > 0);
        foreach (string p in new[] { "p50", "p99", "p999", "max" })
        {
            Assert.True(json.GetProperty("periodJitterUs").TryGetProperty(p, out _));
        }

        Assert.True(json.TryGetProperty("overruns", out _));
        Assert.True(json.GetProperty("servoGoalRateHz").GetDouble() > 0, "no goal Sync Write reached the servo twin");
        Assert.True(json.GetProperty("servoGoalRateFollowingHz").GetDouble() > 0, "no goal Sync Write reached the servo twin while following");
        Assert.True(json.TryGetProperty("gcPauseMs", out _));
        foreach (string p in new[] { "p50", "p99", "max" })
        {
            Assert.True(json.GetProperty("hapticToServoLatencyMs").TryGetProperty(p, out _));
        }

        // The controller runs as `control` does: a 1 GiB no-GC region while the arm is still.
        Assert.Equal(1L << 30, json.GetProperty("noGcRegionBytes").GetInt64());
    }

    [Theory]
    [InlineData("--no-gc-region-mb", "8", "--no-gc-region-mb must be 0 (off) or 16-4096")]
    [InlineData("--devices-nice", "5", "--devices-nice needs --split")]
    public void BenchControl_BadOption_ExitsWithTheReason(string option, string value, string reason)
    {
        (int code, _, string stderr) = BenchRunner.Run("bench", "control", "--seconds", "1", option, value);
        Assert.NotEqual(0, code);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchControl_WithAGen0Budget_LoopRunsTheCollections()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "metai-bench.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { dll, "bench", "control", "--seconds", "1", "--json", "--robot", RepositoryPaths.Config("robots", "metai-arm6.json"),
            "--no-gc-region-mb", "0" })
        {
            // (The slot runs only with the no-GC region off: its collections would end the region.)
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_GCgen0size"] = "0x400000";
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
