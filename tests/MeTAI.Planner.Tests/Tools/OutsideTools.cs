using System.Diagnostics;
using System.Text.Json;

namespace MeTAI.Planner.Tests.Tools;

/// <summary>
/// Runs the outside references test.sh installs: /usr/bin/python3 with pydicom and dicompyler-core, plastimatch,
/// dciodvfy. The python first on PATH may lack the Debian modules, so the interpreter path is fixed.
/// </summary>
internal static class OutsideTools
{
    public const string Python = "/usr/bin/python3";

    public static string? Missing(string tool) => tool switch
    {
        "pydicom" => ProbePython("import pydicom"),
        "dicompyler" => ProbePython("import dicompylercore, matplotlib"),
        _ => Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(d => File.Exists(Path.Combine(d, tool))) == true ? null : $"{tool} is not installed (test.sh installs it)",
    };

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Tools", name);

    public static (int ExitCode, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start) ?? throw new InvalidOperationException("could not start " + tool);
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException(tool + " did not finish");
        }

        return (p.ExitCode, output + err.Result);
    }

    public static List<JsonElement> PythonJsonLines(string script, params string[] arguments)
    {
        (int code, string output) = Run(Python, [Script(script), .. arguments]);
        Assert.True(code == 0, $"{script} failed: {output}");
        var list = new List<JsonElement>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('{'))
            {
                using JsonDocument doc = JsonDocument.Parse(line);
                list.Add(doc.RootElement.Clone());
            }
        }

        return list;
    }

    private static string? ProbePython(string import)
    {
        if (!File.Exists(Python))
        {
            return Python + " is missing";
        }

        (int code, string output) = Run(Python, "-c", import);
        return code == 0 ? null : $"{Python} cannot '{import}' (test.sh installs python3-pydicom and python3-dicompylercore): {output.Trim()}";
    }
}

/// <summary>A fact skipped, with the reason, when an outside tool is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        foreach (string tool in tools)
        {
            if (OutsideTools.Missing(tool) is string reason)
            {
                Skip = reason;
                return;
            }
        }
    }
}

/// <summary>A theory skipped, with the reason, when an outside tool is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        foreach (string tool in tools)
        {
            if (OutsideTools.Missing(tool) is string reason)
            {
                Skip = reason;
                return;
            }
        }
    }
}
