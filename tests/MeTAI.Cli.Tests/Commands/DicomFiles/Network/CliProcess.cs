using System.Diagnostics;
using System.Globalization;
using System.Text;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.DicomFiles.Network;

/// <summary>
/// The CLI as its own process (<c>dotnet metai.dll …</c>), for verbs that run until a signal: its output is collected
/// line by line, <see cref="Terminate"/> sends it SIGTERM (as a service manager or Ctrl+C would), and dispose kills it
/// by its PID if it is still running.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public CliProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CliDll());
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["METAI_HOME"] = RepositoryPaths.Root();
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    /// <summary>Waits (60 s at most) until a line of stdout contains <paramref name="text"/>; throws with the output so far otherwise.</summary>
    public void WaitFor(string text)
    {
        var sw = Stopwatch.StartNew();
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"no '{text}' from metai (exited: {_process.HasExited}): {Stdout}{Stderr}");
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Sends SIGTERM and waits (60 s at most) for the exit; the exit code.</summary>
    public int Terminate()
    {
        ProcessOutput kill = OutsideTools.Run("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
        Assert.True(kill.ExitCode == 0, kill.Output);
        Assert.True(_process.WaitForExit(60_000), "metai did not stop on SIGTERM: " + Stdout);
        _process.WaitForExit(); // the output readers finish
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    /// <summary>The CLI's program: metai.dll, which the test project's reference to MeTAI.Cli copies next to the tests.</summary>
    internal static string CliDll()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "metai.dll");
        return File.Exists(dll) && File.Exists(Path.Combine(AppContext.BaseDirectory, "metai.runtimeconfig.json"))
            ? dll
            : throw new InvalidOperationException($"{dll} (and its runtimeconfig.json) is not next to the tests; build tests/MeTAI.Cli.Tests");
    }

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sb)
        {
            sb.AppendLine(line);
        }
    }

    private static string Read(StringBuilder sb)
    {
        lock (sb)
        {
            return sb.ToString();
        }
    }
}
