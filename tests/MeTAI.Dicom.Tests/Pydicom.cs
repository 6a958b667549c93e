using System.Diagnostics;
using System.Text.Json;

namespace MeTAI.Dicom.Tests;

/// <summary>
/// Runs pydicom (Debian's python3-pydicom under /usr/bin/python3, installed by test.sh) as the outside reference.
/// The interpreter first on PATH may be another one without pydicom, so the path is fixed.
/// </summary>
internal static class Pydicom
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>Null when pydicom can be used, else why not (the skip reason).</summary>
    public static string? SkipReason => Missing.Value;

    /// <summary>The path of a script in the test output's Tools folder.</summary>
    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Tools", name);

    /// <summary>Runs a python script with arguments; returns stdout; throws with stderr on failure.</summary>
    public static string Run(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script(script));
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Python);
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({p.ExitCode}): {stderr.Result}");
        }

        return stdout;
    }

    /// <summary>Parses JSON lines.</summary>
    public static List<JsonElement> JsonLines(string text)
    {
        var list = new List<JsonElement>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            list.Add(doc.RootElement.Clone());
        }

        return list;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is not installed (test.sh installs python3-pydicom)";
        }

        try
        {
            var start = new ProcessStartInfo(Python, "-c \"import pydicom, numpy\"") { RedirectStandardError = true, UseShellExecute = false };
            using Process p = Process.Start(start)!;
            p.WaitForExit(30_000);
            return p.ExitCode == 0 ? null : $"{Python} has no pydicom/numpy (test.sh installs python3-pydicom, python3-numpy)";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{Python} could not run: {ex.Message}";
        }
    }
}

/// <summary>
/// A fact that is skipped, with the reason, when /usr/bin/python3 lacks pydicom — also used by tests that only need
/// pydicom's sample files, which come with the same Debian package.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PydicomFactAttribute : FactAttribute
{
    public PydicomFactAttribute()
    {
        if (Pydicom.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that is skipped, with the reason, when /usr/bin/python3 lacks pydicom.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PydicomTheoryAttribute : TheoryAttribute
{
    public PydicomTheoryAttribute()
    {
        if (Pydicom.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
