using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeTAI.Dicom.Tests.Network;

/// <summary>dcmtk's storescp on a free loopback port, writing into its own folder; killed on dispose.</summary>
internal sealed class StorescpProcess : IDisposable
{
    public const string AeTitle = "STORESCP";

    private readonly Process _process;

    public StorescpProcess(params string[] options)
    {
        Directory = NetworkTestData.TempDir("storescp");
        Port = FreePort();
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

    public string Directory { get; }

    public int Port { get; }

    public MeTAI.Dicom.Network.DicomPeer Peer => new(AeTitle, "127.0.0.1", Port);

    /// <summary>The files storescp wrote (named MODALITY.SOPInstanceUID).</summary>
    public IReadOnlyList<string> Files => [.. System.IO.Directory.EnumerateFiles(Directory).Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static void WaitListening(int port, Process process)
    {
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
