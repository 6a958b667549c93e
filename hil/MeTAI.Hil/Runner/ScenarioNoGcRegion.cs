using System.Runtime;

namespace MeTAI.Hil.Runner;

/// <summary>
/// Keeps the test process's own garbage collections out of a scenario run on a rig of its own. In a HIL run the
/// controller shares its process with the harness, which allocates as it records (trace samples, bus events, MQTT
/// copies: megabytes a second), and every collection stops every managed thread, the controller's loop and servo IO
/// included — a 25–37 ms stop measured during <c>radiotherapy-delivery</c> (docs/hil.md, "Stalls of the test process"),
/// close to the 40 ms servo timeout. The deployed controller runs alone and keeps collections out of motion itself
/// (<see cref="MeTAI.Robotics.Control.NoGcRegionSteward"/>). So the run opens one no-GC region (its one collection before
/// the rig starts) and allocates into memory set aside for it; a run that spends it collects as usual. A region is
/// the process's: when one is already open (scenarios run side by side in one process), the run goes without.
/// Campaign workers share a process and run back to back, so campaigns do not use it: the stall witness measures their
/// stalls instead (<see cref="Traces.StallWitness"/>).
/// </summary>
internal sealed class ScenarioNoGcRegion : IDisposable
{
    /// <summary>Bytes asked for first (halved down to 32 MiB if the runtime refuses).</summary>
    public const long Bytes = 512L << 20;

    private ScenarioNoGcRegion(long bytes) => RegionBytes = bytes;

    /// <summary>The size obtained.</summary>
    public long RegionBytes { get; }

    /// <summary>Opens a region, or returns null (one is open already, or the runtime refused every size).</summary>
    public static ScenarioNoGcRegion? TryOpen()
    {
        for (long b = Bytes; b >= 32L << 20; b /= 2)
        {
            try
            {
                if (GC.TryStartNoGCRegion(b))
                {
                    return new ScenarioNoGcRegion(b);
                }
            }
            catch (ArgumentOutOfRangeException)
            {
                // Larger than the runtime allows: try half.
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Ends the region if it is still open (not spent).</summary>
    public void Dispose()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // Spent (a collection ended it) between the check and the call.
            }
        }
    }
}
