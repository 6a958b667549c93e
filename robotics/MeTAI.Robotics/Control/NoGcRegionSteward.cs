using System.Diagnostics;
using System.Runtime;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Control;

/// <summary>
/// Keeps garbage collections out of motion. Every collection stops every managed thread, the control loop included,
/// for 0.6–7 ms on the 2-core machine (docs/benchmarks.md) — far past the loop's 500 µs jitter goal — and the MQTT
/// client allocates per message, so a controller process collects every minute or so. While the arm is still
/// (Disabled, Ready, Paused, Fault, EStop: nothing moves, or the servos hold), the steward opens a no-GC region
/// (<see cref="GC.TryStartNoGCRegion(long)"/>) of <see cref="Bytes"/>: its one collection happens then, and motion that
/// follows allocates into memory set aside for it with no collection until the region is spent. A region spent
/// during motion ends with an ordinary collection (the runtime's, counted in <see cref="Exhausted"/>); the next still
/// moment opens a new one. A region more than half spent is renewed at a still moment, so that motion starts with the
/// whole of one. One steward per process (the region is the process's); <see cref="Observe"/> from one
/// thread.
/// </summary>
public sealed class NoGcRegionSteward : IDisposable
{
    private bool _open;
    private long _opened;
    private long _exhausted;
    private long _refused;
    private long _nextTryTicks;
    private long _allocatedAtOpen;

    /// <summary>Creates a steward that asks for <paramref name="bytes"/> per region.</summary>
    public NoGcRegionSteward(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1L << 20);
        Bytes = bytes;
    }

    /// <summary>Bytes a region sets aside (halved if the runtime refuses the size).</summary>
    public long Bytes { get; private set; }

    /// <summary>Regions opened.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Regions renewed at a still moment because more than half was spent.</summary>
    public long Renewed { get; private set; }

    /// <summary>Regions that ran out (a collection then ran as usual).</summary>
    public long Exhausted => Interlocked.Read(ref _exhausted);

    /// <summary>Times the runtime would not open one (too large, or not enough memory after its collection).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>True while a region is open.</summary>
    public bool IsOpen => _open && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    /// <summary>States in which the arm may move: no region is opened in them (its collection would stop the loop mid-motion).</summary>
    public static bool IsMotion(SafetyState state) => state is SafetyState.Homing or SafetyState.Teleoperating or SafetyState.Following
        or SafetyState.Clutched or SafetyState.ExecutingTrajectory;

    /// <summary>Called about every millisecond with the supervisor's state; allocation-free unless it opens a region.</summary>
    public void Observe(SafetyState state)
    {
        bool motion = IsMotion(state);
        if (_open)
        {
            if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
            {
                _open = false;
                Interlocked.Increment(ref _exhausted);
            }
            else if (motion || GC.GetTotalAllocatedBytes(false) - _allocatedAtOpen < Bytes / 2)
            {
                return;
            }
            else
            {
                // Still, and more than half spent: renew it now rather than run out mid-motion.
                _open = false;
                Renewed++;
                try
                {
                    GC.EndNoGCRegion();
                }
                catch (InvalidOperationException)
                {
                    // It ended meanwhile.
                }
            }
        }

        long now = Stopwatch.GetTimestamp();
        if (motion || now < _nextTryTicks)
        {
            return;
        }

        try
        {
            // disallowFullBlockingGC: a full blocking collection to make room would be a long pause; refuse instead.
            if (GC.TryStartNoGCRegion(Bytes, disallowFullBlockingGC: true))
            {
                _allocatedAtOpen = GC.GetTotalAllocatedBytes(false);
                _open = true;
                Interlocked.Increment(ref _opened);
                return;
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // Larger than the runtime allows: ask for half next time.
            Bytes = Math.Max(1L << 20, Bytes / 2);
        }
        catch (InvalidOperationException)
        {
            // Someone else in this process holds a region: leave it to them.
        }

        // Each attempt collects first, so a refused one is not retried for a second.
        Interlocked.Increment(ref _refused);
        _nextTryTicks = now + Stopwatch.Frequency;
    }

    /// <summary>Ends an open region.</summary>
    public void Dispose()
    {
        if (_open && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // Ended meanwhile by a collection.
            }
        }

        _open = false;
    }
}
