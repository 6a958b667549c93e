using System.Text.Json;

namespace MeTAI.Benchmarks.Tests;

/// <summary>Runs <c>metai bench …</c> in-process and captures its output.</summary>
internal static class BenchRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = BenchApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static JsonElement Json(params string[] args)
    {
        (int code, string stdout, string stderr) = Run(args);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        using JsonDocument doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }
}
