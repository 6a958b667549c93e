using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MeTAI.TestUtilities;

/// <summary>
/// A real PACS for tests: Orthanc (Debian package <c>orthanc</c>, installed by ./test.sh) started from its own JSON
/// configuration on free loopback DICOM and HTTP ports, with its own storage folder, no authentication (HTTP on
/// loopback only) and the modalities it may C-MOVE to. Killed by its PID and its folder removed on dispose.
/// </summary>
public sealed class OrthancServer : IDisposable
{
    /// <summary>Orthanc's AE title.</summary>
    public const string AeTitle = "ORTHANC";

    private readonly Process _process;
    private readonly string _dir;
    private readonly HttpClient _http;
    private readonly StringBuilder _log = new();

    private OrthancServer(Process process, string dir, int dicomPort, int httpPort)
    {
        _process = process;
        _dir = dir;
        DicomPort = dicomPort;
        HttpPort = httpPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The DICOM port.</summary>
    public int DicomPort { get; }

    /// <summary>The HTTP (REST) port.</summary>
    public int HttpPort { get; }

    /// <summary>What Orthanc logged so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The Orthanc program, or null when it is not installed.</summary>
    public static string? Executable() => File.Exists("/usr/sbin/Orthanc") ? "/usr/sbin/Orthanc" : null;

    /// <summary>
    /// Starts Orthanc. <paramref name="modalities"/>: the AE titles it knows, each at a host and port (a C-MOVE
    /// destination must be one of them); every known or unknown caller may echo, store, find, get and move.
    /// </summary>
    public static OrthancServer Start(IEnumerable<(string AeTitle, string Host, int Port)>? modalities = null)
    {
        string exe = Executable() ?? throw new InvalidOperationException("Orthanc is not installed (./test.sh installs the Debian package orthanc).");
        string dir = Path.Combine(Path.GetTempPath(), "metai-orthanc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        int dicomPort = FreeTcpPort(), httpPort = FreeTcpPort();
        var known = new Dictionary<string, object>();
        foreach ((string ae, string host, int port) in modalities ?? [])
        {
            known[ae.ToLowerInvariant()] = new Dictionary<string, object> { ["AET"] = ae, ["Host"] = host, ["Port"] = port };
        }

        var config = new Dictionary<string, object>
        {
            ["Name"] = "MeTAI test PACS",
            ["StorageDirectory"] = Path.Combine(dir, "storage"),
            ["IndexDirectory"] = Path.Combine(dir, "index"),
            ["StorageCompression"] = false,
            ["HttpServerEnabled"] = true,
            ["HttpPort"] = httpPort,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["SslEnabled"] = false,
            ["DicomServerEnabled"] = true,
            ["DicomAet"] = AeTitle,
            ["DicomPort"] = dicomPort,
            ["DicomCheckCalledAet"] = true,
            ["DicomModalities"] = known,
            ["DicomAlwaysAllowEcho"] = true,
            ["DicomAlwaysAllowStore"] = true,
            ["DicomAlwaysAllowFind"] = true,
            ["DicomAlwaysAllowGet"] = true,
            ["DicomAlwaysAllowMove"] = true,
            ["Plugins"] = Array.Empty<string>(),
            ["ConcurrentJobs"] = 1,
            ["SaveJobs"] = false,
            ["StableAge"] = 1,
            ["OverwriteInstances"] = true,
            ["DicomScuTimeout"] = 30,
        };
        string configFile = Path.Combine(dir, "orthanc.json");
        File.WriteAllText(configFile, JsonSerializer.Serialize(config));
        var psi = new ProcessStartInfo(exe, [configFile]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = dir };
        var process = Process.Start(psi)!;
        var server = new OrthancServer(process, dir, dicomPort, httpPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            try
            {
                if (server.Get("system").Contains(AeTitle, StringComparison.Ordinal) && Listening(dicomPort))
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }
            catch (TaskCanceledException)
            {
                // Not up yet.
            }

            Thread.Sleep(100);
        }

        string log = server.Log;
        server.Dispose();
        throw new InvalidOperationException("Orthanc did not start: " + log);
    }

    /// <summary>A REST GET (e.g. <c>instances</c>, <c>system</c>); the body. Throws on an HTTP error.</summary>
    public string Get(string path)
    {
        using HttpResponseMessage r = _http.GetAsync(path).GetAwaiter().GetResult();
        r.EnsureSuccessStatusCode();
        return r.Content.ReadAsStringAsync().GetAwaiter().GetResult();
    }

    /// <summary>The SOP Instance UIDs Orthanc holds (REST <c>/instances?expand</c>).</summary>
    public IReadOnlyList<string> SopInstanceUids()
    {
        using JsonDocument doc = JsonDocument.Parse(Get("instances?expand"));
        return [.. doc.RootElement.EnumerateArray().Select(i => i.GetProperty("MainDicomTags").GetProperty("SOPInstanceUID").GetString()!)];
    }

    /// <summary>The stored file of one instance (REST <c>/instances/{id}/file</c>), by SOP Instance UID.</summary>
    public byte[] InstanceFile(string sopInstanceUid)
    {
        using JsonDocument doc = JsonDocument.Parse(Get("instances?expand"));
        string id = doc.RootElement.EnumerateArray()
            .First(i => i.GetProperty("MainDicomTags").GetProperty("SOPInstanceUID").GetString() == sopInstanceUid)
            .GetProperty("ID").GetString()!;
        using HttpResponseMessage r = _http.GetAsync($"instances/{id}/file").GetAwaiter().GetResult();
        r.EnsureSuccessStatusCode();
        return r.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
    }

    /// <summary>Stops Orthanc and removes its folder.</summary>
    public void Dispose()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process: the temporary folder is left for the system to clean.
        }
    }

    /// <summary>A free loopback TCP port.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>The port as text, for command lines.</summary>
    public override string ToString() => $"{AeTitle}@127.0.0.1:{DicomPort.ToString(CultureInfo.InvariantCulture)}";
}
