using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MeTAI.Dicom.Network;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>What the DICOM network verbs share: our AE title option, peers as AET@HOST:PORT, and errors as one line.</summary>
internal static class DicomNetworkCli
{
    /// <summary>Our AE title when none is given.</summary>
    public const string DefaultAeTitle = "METAI";

    /// <summary><c>--aet</c>: our AE title (the calling AE title of our requests, the called AE title we answer to).</summary>
    public static Option<string> OurAeOption(string description = "Our AE title, the calling AE title of our requests") => new("--aet")
    {
        Description = description,
        DefaultValueFactory = _ => DefaultAeTitle,
    };

    /// <summary>A peer option (<c>--to</c>, <c>--from</c>) in the form AET@HOST:PORT.</summary>
    public static Option<string> PeerOption(string name, string description) => new(name) { Description = description + " (AET@HOST:PORT)", Required = true };

    /// <summary>
    /// Runs a network verb: argument errors and bad files as the other verbs report them (<see cref="CommandErrors"/>),
    /// network failures (no connection, a reject, an abort, a timeout) and a cancellation (Ctrl+C/SIGTERM, through the
    /// token the verb's body was given) as one line on stderr "metai: …"; all with exit 1.
    /// </summary>
    public static Task<int> RunAsync(ParseResult parse, Func<TextWriter, TextWriter, Task<int>> body)
    {
        TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
        return CommandErrors.GuardAsync(stderr, async () =>
        {
            try
            {
                return await body(stdout, stderr).ConfigureAwait(false);
            }
            catch (DicomNetworkException ex)
            {
                await stderr.WriteLineAsync($"metai: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException)
            {
                await stderr.WriteLineAsync("metai: cancelled").ConfigureAwait(false);
                return 1;
            }
        });
    }

    /// <summary>
    /// Cancels <paramref name="stop"/> on SIGINT (Ctrl+C), SIGTERM and SIGQUIT instead of letting the signal end the
    /// process, so that a server verb can close its associations and say so; dispose the result to restore the default.
    /// </summary>
    public static IDisposable CancelOnSignals(CancellationTokenSource stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var registrations = new List<PosixSignalRegistration>();
        foreach (PosixSignal signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT])
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            }));
        }

        return new Registrations(registrations);
    }

    /// <summary>Starts <paramref name="scp"/>; a port that cannot be bound is an <see cref="IOException"/> naming it.</summary>
    public static void Start(StorageScp scp, int port)
    {
        try
        {
            scp.Start();
        }
        catch (SocketException ex)
        {
            throw new IOException($"cannot listen on port {port}: {ex.Message}", ex);
        }
    }

    /// <summary>A TCP port from an option, checked.</summary>
    public static int Port(int value, string option) =>
        value is >= 1 and <= 65535 ? value : throw new ArgumentException($"{option} {value} is not a TCP port (1–65535).");

    /// <summary>Bytes in words: "526 kB", "3.1 MB".</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1000 => $"{bytes} B",
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.#} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB"),
    };

    /// <summary>A transfer syntax by name.</summary>
    public static string SyntaxName(string uid) => DicomNetworkUids.NameOf(uid);

    /// <summary>AE titles from repeated and comma-separated values, checked.</summary>
    public static List<string> AeTitles(IEnumerable<string>? values, string what) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(a => AeTitle.Check(a, what)).Distinct(StringComparer.Ordinal)];

    /// <summary>"1 object", "3 objects" ("1 study", "2 studies" with <paramref name="plural"/>).</summary>
    public static string Count(int n, string noun, string? plural = null) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? noun : plural ?? noun + "s");

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }
}
