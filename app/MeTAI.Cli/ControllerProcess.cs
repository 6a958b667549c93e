using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace MeTAI.Cli;

/// <summary>
/// Runs the real-time verbs (<c>control</c>, <c>bench control</c>) in a process whose GC suits a 1 kHz loop.
/// <para>
/// A blocking gen0 collection stops every managed thread, the control loop included, and its cost grows with the
/// number of objects in gen0 (the plan phase walks them, dead or alive), not with the survivors: with the runtime's
/// default budget (tens of MB on this class of machine) the broker, the MQTT clients and System.IO.Ports fill gen0 with
/// ~10⁶ short-lived objects and each collection stopped the loop for 1.5–2.7 ms (docs/benchmarks.md). A small budget
/// gives many short collections instead. The budget can only be set before the runtime starts
/// (<c>DOTNET_GCgen0size</c>; the GC reads no runtimeconfig key for it), so these verbs start themselves once more
/// with it set, pass stdin/stdout/stderr through, forward SIGINT/SIGTERM/SIGQUIT and return the child's exit code.
/// A <c>DOTNET_GCgen0size</c> already in the environment is respected (that is also how the child is recognised).
/// </para>
/// </summary>
internal static partial class ControllerProcess
{
    /// <summary>The environment variable the runtime reads the gen0 budget from (hex bytes).</summary>
    public const string Gen0SizeVariable = "DOTNET_GCgen0size";

    /// <summary>The gen0 budget of controller processes: 4 MiB.</summary>
    public const string Gen0Size = "0x400000";

    /// <summary>True for the verbs that run the control loop.</summary>
    public static bool IsRealtimeVerb(IReadOnlyList<string> args) =>
        args.Count > 0 && (args[0] == "control" || (args.Count > 1 && args[0] == "bench" && args[1] == "control"));

    /// <summary>The gen0 budget this process runs with (bytes), or null for the runtime's default.</summary>
    public static long? Gen0Bytes() => ParseGen0Size(Environment.GetEnvironmentVariable(Gen0SizeVariable));

    /// <summary>A <c>DOTNET_GCgen0size</c> value in bytes (hexadecimal, with or without 0x), or null if empty or not a number.</summary>
    public static long? ParseGen0Size(string? v)
    {
        if (string.IsNullOrWhiteSpace(v))
        {
            return null;
        }

        v = v.Trim();
        if (v.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            v = v[2..];
        }

        // The runtime reads GC knobs as hexadecimal, with or without 0x.
        return long.TryParse(v, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long bytes) ? bytes : null;
    }

    /// <summary>
    /// For a real-time verb without a gen0 budget set: runs it again in a child process with the budget and returns the
    /// child's exit code. Otherwise null (run here).
    /// </summary>
    public static int? RunInTunedProcess(string[] args)
    {
        if (!IsRealtimeVerb(args) || Environment.GetEnvironmentVariable(Gen0SizeVariable) is not null || !OperatingSystem.IsLinux())
        {
            return null;
        }

        string? host = Environment.ProcessPath;
        if (host is null)
        {
            return null;
        }

        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.Ordinal))
        {
            // `dotnet metai.dll …`: the child needs the dll; an apphost needs nothing more.
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment[Gen0SizeVariable] = Gen0Size;
        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        int pid = child.Id;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Forward(c, pid, 2));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Forward(c, pid, 15));
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => Forward(c, pid, 3));
        child.WaitForExit();
        return child.ExitCode;
    }

    private static void Forward(PosixSignalContext context, int pid, int signal)
    {
        // The child shuts down in order (torque off first); this process waits for it and returns its exit code.
        context.Cancel = true;
        _ = Kill(pid, signal);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
