using System.Text.Json;

namespace MeTAI.Dicom.Tests;

/// <summary>
/// Runs pydicom (Debian's python3-pydicom under /usr/bin/python3, installed by test.sh) as the outside reference.
/// The interpreter first on PATH may be another one without pydicom, so the path is fixed.
/// </summary>
internal static class Pydicom
{
    public const string Python = OutsideTools.Python;

    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>Null when pydicom can be used, else why not (the skip reason).</summary>
    public static string? SkipReason => Missing.Value;

    /// <summary>The path of a script in the test output's Tools folder.</summary>
    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Tools", name);

    /// <summary>Runs a python script with arguments; returns stdout; throws with stderr on failure.</summary>
    public static string Run(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        ProcessOutput r = OutsideTools.Run(Python, [Script(script), .. arguments], timeout ?? TimeSpan.FromMinutes(2));
        return r.ExitCode == 0 ? r.Stdout : throw new InvalidOperationException($"{script} failed ({r.ExitCode}): {r.Stderr}");
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

    private static string? Probe() => OutsideTools.Missing("pydicom");
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
