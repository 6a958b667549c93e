using System.Collections.Concurrent;
using System.Diagnostics;

namespace MeTAI.TestUtilities;

/// <summary>
/// The outside programs the tests compare against, which test.sh installs from Debian: dcmtk (dcmdump, storescu …),
/// dicom3tools (dciodvfy), plastimatch, Mosquitto, and /usr/bin/python3 with pydicom and dicompyler-core (the python
/// first on PATH may lack Debian's modules, so that interpreter's path is fixed).
/// </summary>
public static class OutsideTools
{
    /// <summary>Debian's python3, which has python3-pydicom and python3-dicompylercore.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly ConcurrentDictionary<string, string?> Probes = new(StringComparer.Ordinal);

    /// <summary>
    /// Null when <paramref name="tool"/> can be used, else why not (a skip reason): <c>pydicom</c>,
    /// <c>dicompyler</c> and <c>scipy</c> probe the Python modules; anything else is a program on PATH or an absolute path.
    /// </summary>
    public static string? Missing(string tool)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tool);
        return Probes.GetOrAdd(tool, t => t switch
        {
            "pydicom" => ProbePython("import pydicom, numpy", "python3-pydicom and python3-numpy"),
            "dicompyler" => ProbePython("import dicompylercore, matplotlib", "python3-dicompylercore"),
            "scipy" => ProbePython("import scipy.stats", "python3-scipy"),
            _ when Path.IsPathRooted(t) => File.Exists(t) ? null : $"{t} is not installed (test.sh installs it)",
            _ => Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(d => File.Exists(Path.Combine(d, t))) == true
                ? null
                : $"{t} is not installed (test.sh installs it)",
        });
    }

    /// <summary>Runs <paramref name="program"/>; a run longer than <paramref name="timeout"/> (default 5 min) is killed and throws.</summary>
    public static ProcessOutput Run(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start) ?? throw new InvalidOperationException("could not start " + program);
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish");
        }

        return new ProcessOutput(p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> (default timeout).</summary>
    public static ProcessOutput Run(string program, params string[] arguments) => Run(program, (IEnumerable<string>)arguments);

    private static string? ProbePython(string import, string packages)
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is not installed (test.sh installs python3 and {packages})";
        }

        ProcessOutput r = Run(Python, ["-c", import], TimeSpan.FromSeconds(60));
        return r.ExitCode == 0 ? null : $"{Python} cannot '{import}' (test.sh installs {packages}): {r.Output.Trim()}";
    }
}

/// <summary>A fact skipped, with the reason, when one of <c>tools</c> is missing (<see cref="OutsideTools.Missing"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    /// <summary>Skips the fact when one of <paramref name="tools"/> is missing.</summary>
    public ToolFactAttribute(params string[] tools)
    {
        Skip = tools.Select(OutsideTools.Missing).FirstOrDefault(r => r is not null);
    }
}

/// <summary>A theory skipped, with the reason, when one of <c>tools</c> is missing (<see cref="OutsideTools.Missing"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the theory when one of <paramref name="tools"/> is missing.</summary>
    public ToolTheoryAttribute(params string[] tools)
    {
        Skip = tools.Select(OutsideTools.Missing).FirstOrDefault(r => r is not null);
    }
}
