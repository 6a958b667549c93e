using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MeTAI.Service.Tests;

/// <summary>
/// The service as its own process (<c>dotnet MeTAI.Service.dll</c> from the test's output folder) on a free loopback
/// port: what a hospital runs, so a test can send it real signals (SIGTERM) and read its memory from /proc.
/// </summary>
public sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string dataDirectory, IEnumerable<string> settings)
    {
        DataDirectory = dataDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MeTAI.Service.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.ArgumentList.Add($"--Service:DataDirectory={dataDirectory}");
        start.ArgumentList.Add("--Logging:Console:FormatterName=simple");
        foreach (string s in settings)
        {
            start.ArgumentList.Add(s);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Line(e.Data);
        _process.ErrorDataReceived += (_, e) => Line(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string DataDirectory { get; }

    public int Pid => _process.Id;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the service and waits until it listens.</summary>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, params string[] settings)
    {
        var p = new ServiceProcess(dataDirectory, settings);
        Task done = await Task.WhenAny(p._listening.Task, p._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        if (done != p._listening.Task)
        {
            p.Dispose();
            throw new InvalidOperationException("The service did not start listening:\n" + p.Output);
        }

        p.BaseAddress = await p._listening.Task;
        return p;
    }

    public HttpClient Client(string? token = null)
    {
        var c = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        if (token is not null)
        {
            c.DefaultRequestHeaders.Add("X-Api-Key", token);
        }

        return c;
    }

    /// <summary>Sends SIGTERM (what systemd and docker stop send) and waits for the exit; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>A field of /proc/PID/status in kB (VmRSS, VmHWM).</summary>
    public long StatusKb(string field)
    {
        foreach (string line in File.ReadAllLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{_process.Id}/status has no {field}");
    }

    /// <summary>Resets the peak resident size (VmHWM) to the current one (Linux: write 5 to clear_refs).</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (Listening().Match(line) is { Success: true } m)
        {
            _listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (https?://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
