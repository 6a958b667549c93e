using System.Diagnostics;
using System.Net.Sockets;

namespace MeTAI.TestUtilities;

/// <summary>
/// A real Mosquitto (Debian package, installed by ./test.sh) on a free loopback port, with a password file made by
/// mosquitto_passwd and the ACL the caller gives (the tests generate it from the controller's access policy). Stopped
/// (killed by its PID) on dispose.
/// <c>set_tcp_nodelay true</c>: with Nagle on (Mosquitto's default) the broker held the master's 100 Hz heartbeats back
/// past the controller's 30 ms watchdog.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private MosquittoBroker(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The mosquitto program, or null when it is not installed.</summary>
    public static string? Executable()
    {
        foreach (string path in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" })
        {
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Starts a broker that knows <paramref name="users"/> and enforces <paramref name="acl"/> (Mosquitto's ACL file format).</summary>
    public static MosquittoBroker Start(IEnumerable<(string Name, string Password)> users, string acl)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(acl);
        string exe = Executable() ?? throw new InvalidOperationException("mosquitto is not installed (./test.sh installs the Debian package).");
        string dir = Path.Combine(Path.GetTempPath(), "metai-mosquitto-" + Guid.NewGuid().ToString("N"));
        // Modes are set explicitly: run as root, mosquitto drops to its own user before it reads these files, and a test
        // process that hosted the service has the service's umask 077 (the files would be 0600 in a 0700 folder, which
        // mosquitto's user cannot open: "Unable to open pwfile"). Test-only passwords, so world-readable is fine here.
        Directory.CreateDirectory(dir);
        SetMode(dir, ReadableFolder);
        string passwd = Path.Combine(dir, "passwd");
        File.WriteAllText(passwd, "");
        foreach ((string name, string password) in users)
        {
            Run("mosquitto_passwd", "-b", passwd, name, password);
        }

        SetMode(passwd, ReadableFile);
        string aclFile = Path.Combine(dir, "acl");
        File.WriteAllText(aclFile, acl);
        SetMode(aclFile, ReadableFile);
        // A free port can be taken by another test between our probe and mosquitto's bind; mosquitto then exits at once,
        // so a broker that exits before it listens is started again on another port (three tries), and its own words are
        // in the error when all fail.
        var errors = new System.Text.StringBuilder();
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            if (TryStart(exe, dir, passwd, aclFile, errors) is { } broker)
            {
                return broker;
            }
        }

        Directory.Delete(dir, recursive: true);
        throw new InvalidOperationException("mosquitto did not start listening: " + errors.ToString().Trim());
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private const UnixFileMode ReadableFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ReadableFolder = ReadableFile | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static MosquittoBroker? TryStart(string exe, string dir, string passwd, string aclFile, System.Text.StringBuilder errors)
    {
        int port = FreeTcpPort();
        string conf = Path.Combine(dir, "mosquitto.conf");
        File.WriteAllText(conf, $"""
            per_listener_settings false
            listener {port} 127.0.0.1
            allow_anonymous false
            password_file {passwd}
            acl_file {aclFile}
            persistence false
            set_tcp_nodelay true
            log_dest stderr
            """.Replace("            ", "", StringComparison.Ordinal));
        SetMode(conf, ReadableFile);
        var psi = new ProcessStartInfo(exe, ["-c", conf]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (errors)
                {
                    errors.AppendLine(line);
                }
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", port);
                return new MosquittoBroker(process, dir, port);
            }
            catch (SocketException)
            {
                if (process.HasExited)
                {
                    process.Dispose();
                    return null;
                }

                Thread.Sleep(50);
            }
        }

        process.Kill();
        process.Dispose();
        return null;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.WaitForExit(10_000);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {p.StandardError.ReadToEnd()}");
        }
    }

    /// <summary>Stops the broker and removes its files.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
