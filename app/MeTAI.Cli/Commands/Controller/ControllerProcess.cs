using System.Globalization;

namespace MeTAI.Cli.Commands.Controller;

/// <summary>
/// The controller process's gen0 budget, read from <c>DOTNET_GCgen0size</c> (the GC reads no runtimeconfig key for it).
/// When it is set, <c>control</c> and <c>bench control</c> let the loop run the gen0 collections itself between steps
/// (<see cref="MeTAI.Robotics.Control.ControllerOptions.GcSlotBudgetBytes"/>). Off by default: measured on the 2-core VM
/// (docs/benchmarks.md), a 4 MiB budget gave ~230 collections a minute of ~0.6 ms each (the pause did not shrink with
/// gen0), and more overruns than the runtime's default budget.
/// </summary>
internal static class ControllerProcess
{
    /// <summary>The environment variable the runtime reads the gen0 budget from (hex bytes).</summary>
    public const string Gen0SizeVariable = "DOTNET_GCgen0size";

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
}
