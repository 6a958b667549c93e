using System.Diagnostics;

namespace MeTAI.Dicom.Tests;

/// <summary>Runs the outside DICOM tools (dcmtk's dcmdump, dicom3tools' dciodvfy) that test.sh installs.</summary>
internal static class OutsideTool
{
    /// <summary>Null when the tool is on PATH, else the skip reason.</summary>
    public static string? Missing(string tool) =>
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(d => File.Exists(Path.Combine(d, tool))) == true
            ? null
            : $"{tool} is not installed (test.sh installs dcmtk and dicom3tools)";

    /// <summary>Runs a tool; returns exit code and stdout+stderr.</summary>
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
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException(tool + " did not finish");
        }

        return (p.ExitCode, output + err.Result);
    }
}

/// <summary>A fact skipped, with the reason, when an outside tool is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        string? reason = tool == "pydicom" ? Pydicom.SkipReason : OutsideTool.Missing(tool);
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
