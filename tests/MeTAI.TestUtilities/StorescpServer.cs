using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeTAI.TestUtilities;

/// <summary>dcmtk's storescp on a free loopback port, writing into its own temporary folder; killed by its PID on dispose.</summary>
public sealed class StorescpServer : IDisposable
{
    /// <summary>storescp's AE title.</summary>
    public const string AeTitle = "STORESCP";

    private readonly Process _process;

    /// <summary>Starts storescp with extra <paramref name="options"/> (e.g. <c>+xa</c> to accept every transfer syntax) and waits until it listens.</summary>
    public StorescpServer(params string[] options)
    {
        Directory = RepositoryPaths.TempDir("storescp");
        Port = OrthancServer.FreeTcpPort();
        var start = new ProcessStartInfo("storescp") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in (string[])["--aetitle", AeTitle, "--output-directory", Directory, .. options, Port.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(a);
        }

        _process = Process.Start(start)!;
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        WaitListening(Port, _process);
    }

    /// <summary>The folder storescp writes into.</summary>
    public string Directory { get; }

    /// <summary>The port it listens on (loopback).</summary>
    public int Port { get; }

    /// <summary>It as <c>AET@HOST:PORT</c>.</summary>
    public string PeerText => $"{AeTitle}@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The files storescp wrote (named MODALITY.SOPInstanceUID).</summary>
    public IReadOnlyList<string> Files => [.. System.IO.Directory.EnumerateFiles(Directory).Order(StringComparer.Ordinal)];

    /// <summary>Kills storescp.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    /// <summary>Waits (20 s at most) until <paramref name="process"/> accepts connections on loopback port <paramref name="port"/>.</summary>
    /// <exception cref="InvalidOperationException">It exited or did not listen in time.</exception>
    public static void WaitListening(int port, Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until && !process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"{process.StartInfo.FileName} did not start listening on port {port}");
    }
}
