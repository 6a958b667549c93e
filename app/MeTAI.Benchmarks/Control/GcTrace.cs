using System.Diagnostics.Tracing;
using System.Globalization;

namespace MeTAI.Benchmarks.Control;

/// <summary>
/// The runtime's own GC events, heard in-process (an <see cref="EventListener"/> on the
/// <c>Microsoft-Windows-DotNETRuntime</c> provider, GC keyword, verbose): for each collection its generation, reason,
/// type, the thread that triggered it, the bytes allocated since the previous one, the time to suspend the threads and
/// the whole pause; and the allocation-tick samples (one per ~100 kB allocated) summed by thread and type, which say
/// who makes the garbage. A diagnostic for <c>bench control --gc-trace</c>: it adds a dispatch thread and some
/// garbage of its own, so its runs are not the benchmark's figures. Suspensions of all managed threads for anything
/// other than a collection (the runtime's other reasons: tiered compilation, the debugger, …) are listed too, since
/// they stop the loop the same way.
/// </summary>
public sealed class GcTrace : EventListener
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    // Runtime event ids (ClrEtwAll.man): GCStart_V2, GCEnd_V1, GCRestartEEEnd, GCSuspendEEEnd, GCSuspendEEBegin_V1,
    // GCAllocationTick_V4.
    private const int GcStart = 1;
    private const int GcRestartEeEnd = 3;
    private const int GcSuspendEeEnd = 8;
    private const int GcSuspendEeBegin = 9;
    private const int GcAllocationTick = 10;

    private static readonly string[] Reasons =
    [
        "AllocSmall", "Induced", "LowMemory", "Empty", "AllocLarge", "OutOfSpaceSOH", "OutOfSpaceLOH", "InducedNotForced",
        "Internal", "InducedLowMemory", "InducedCompacting", "LowMemoryHost", "PMFullGC", "LowMemoryHostBlocking",
    ];

    private static readonly string[] Types = ["NonConcurrent", "Background", "Foreground"];

    // SUSPEND_REASON of the runtime (GCSuspendEEBegin's Reason).
    private static readonly string[] SuspendReasons =
    [
        "Other", "GC", "AppDomainShutdown", "CodePitching", "Shutdown", "Debugger", "GCPrep", "DebuggerSweep", "Profiler",
        "ProfilerRejit", "Rejit",
    ];

    private readonly Lock _gate = new();
    private readonly List<GcTracePause> _collections = [];
    private readonly List<GcTraceSuspension> _suspensions = [];
    private string _suspendReason = "";
    private readonly Dictionary<(string Thread, string Type), long> _allocated = [];
    private readonly Dictionary<ulong, string> _threadNames = [];
    private bool _recording;
    private DateTime _recordingSinceUtc;
    private DateTime _suspendBegin;
    private DateTime _suspendEnd;
    private PendingCollection? _pending;
    private long _allocatedAtLastGc = GC.GetTotalAllocatedBytes(false);

    /// <summary>Starts or stops keeping what is heard (the listener runs from construction; warm-up is left out).</summary>
    public void Record(bool on)
    {
        lock (_gate)
        {
            _recording = on;
            if (on)
            {
                _recordingSinceUtc = DateTime.UtcNow;
                _collections.Clear();
                _suspensions.Clear();
                _allocated.Clear();
            }
        }
    }

    /// <summary>What was recorded.</summary>
    public GcTraceResult Result()
    {
        lock (_gate)
        {
            long total = _allocated.Values.Sum();
            return new GcTraceResult
            {
                Collections = [.. _collections],
                OtherSuspensions = [.. _suspensions],
                SampledAllocationMb = total / 1e6,
                Allocations = [.. _allocated.OrderByDescending(kv => kv.Value).Take(25)
                    .Select(kv => new GcTraceAllocation(kv.Key.Thread, kv.Key.Type, kv.Value / 1e6))],
            };
        }
    }

    /// <inheritdoc/>
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    /// <inheritdoc/>
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        EventWrittenEventArgs e = eventData;
        lock (_gate)
        {
            switch (e.EventId)
            {
                case GcSuspendEeBegin:
                    _suspendBegin = e.TimeStamp;
                    _suspendReason = Name(SuspendReasons, Payload(e, "Reason"));
                    break;
                case GcSuspendEeEnd:
                    _suspendEnd = e.TimeStamp;
                    break;
                case GcStart:
                    long allocated = GC.GetTotalAllocatedBytes(false);
                    _pending = new PendingCollection(
                        Convert.ToInt32(Payload(e, "Depth"), CultureInfo.InvariantCulture),
                        Name(Reasons, Payload(e, "Reason")),
                        Name(Types, Payload(e, "Type")),
                        ThreadName((ulong)e.OSThreadId),
                        allocated - _allocatedAtLastGc,
                        _suspendBegin,
                        _suspendEnd);
                    _allocatedAtLastGc = allocated;
                    break;
                case GcRestartEeEnd when _pending is { } p:
                    if (_recording)
                    {
                        _collections.Add(new GcTracePause(Math.Round((p.SuspendBegin.ToUniversalTime() - _recordingSinceUtc).TotalSeconds, 3),
                            p.Generation, p.Reason, p.Type, p.Thread, p.AllocatedSinceLastBytes,
                            Math.Round((p.SuspendEnd - p.SuspendBegin).TotalMicroseconds), Math.Round((e.TimeStamp - p.SuspendBegin).TotalMicroseconds)));
                    }

                    _pending = null;
                    break;
                case GcRestartEeEnd when _recording && _suspendReason is not ("GC" or "GCPrep"):
                    _suspensions.Add(new GcTraceSuspension(Math.Round((_suspendBegin.ToUniversalTime() - _recordingSinceUtc).TotalSeconds, 3),
                        _suspendReason, ThreadName((ulong)e.OSThreadId), Math.Round((e.TimeStamp - _suspendBegin).TotalMicroseconds)));
                    break;
                case GcAllocationTick when _recording:
                    string type = Payload(e, "TypeName") as string ?? "?";
                    long amount = Convert.ToInt64(Payload(e, "AllocationAmount64") ?? Payload(e, "AllocationAmount"), CultureInfo.InvariantCulture);
                    var key = (ThreadName((ulong)e.OSThreadId), type);
                    _allocated[key] = _allocated.GetValueOrDefault(key) + amount;
                    break;
            }
        }
    }

    private static object? Payload(EventWrittenEventArgs e, string name)
    {
        int i = e.PayloadNames?.IndexOf(name) ?? -1;
        return i >= 0 && e.Payload is { } p && i < p.Count ? p[i] : null;
    }

    private static string Name(string[] names, object? value)
    {
        int i = value is null ? -1 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
        return i >= 0 && i < names.Length ? names[i] : i.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The thread's name as the kernel has it (<c>/proc/self/task/ID/comm</c>; .NET names threads there), or its id.</summary>
    private string ThreadName(ulong id)
    {
        if (!_threadNames.TryGetValue(id, out string? name))
        {
            try
            {
                name = File.ReadAllText($"/proc/self/task/{id}/comm").Trim() + $" ({id})";
            }
            catch (IOException)
            {
                name = $"thread {id}";
            }
            catch (UnauthorizedAccessException)
            {
                name = $"thread {id}";
            }

            _threadNames[id] = name;
        }

        return name;
    }

    private sealed record PendingCollection(int Generation, string Reason, string Type, string Thread, long AllocatedSinceLastBytes,
        DateTime SuspendBegin, DateTime SuspendEnd);
}

/// <summary>What <see cref="GcTrace"/> heard while recording.</summary>
public sealed record GcTraceResult
{
    /// <summary>Each collection.</summary>
    public required IReadOnlyList<GcTracePause> Collections { get; init; }

    /// <summary>Every stop of all managed threads for another reason than a collection.</summary>
    public required IReadOnlyList<GcTraceSuspension> OtherSuspensions { get; init; }

    /// <summary>Bytes allocated in all, by the allocation-tick samples (MB).</summary>
    public required double SampledAllocationMb { get; init; }

    /// <summary>The largest allocators: thread and type, by the allocation-tick samples (MB), largest first.</summary>
    public required IReadOnlyList<GcTraceAllocation> Allocations { get; init; }
}

/// <summary>One collection.</summary>
/// <param name="AtS">When it began (seconds since recording started; compare <see cref="ControlBenchResult.WorstJitterAtS"/>).</param>
/// <param name="Generation">Generation collected (0, 1, 2).</param>
/// <param name="Reason">Why (AllocSmall: the gen0 budget ran out; Induced: GC.Collect; …).</param>
/// <param name="Type">NonConcurrent (blocking), Background or Foreground.</param>
/// <param name="Thread">The thread whose allocation (or call) triggered it.</param>
/// <param name="AllocatedSinceLastBytes">Bytes allocated by the process since the previous collection.</param>
/// <param name="SuspendUs">Time to suspend the managed threads (µs).</param>
/// <param name="PauseUs">From the start of suspension to the end of the restart (µs).</param>
public sealed record GcTracePause(double AtS, int Generation, string Reason, string Type, string Thread, long AllocatedSinceLastBytes, double SuspendUs, double PauseUs);

/// <summary>A stop of all managed threads for another reason than a collection.</summary>
/// <param name="AtS">When it began (seconds since recording started).</param>
/// <param name="Reason">The runtime's reason (Other, Debugger, Rejit, …).</param>
/// <param name="Thread">The thread that restarted the others.</param>
/// <param name="PauseUs">From the start of suspension to the end of the restart (µs).</param>
public sealed record GcTraceSuspension(double AtS, string Reason, string Thread, double PauseUs);

/// <summary>Bytes one thread allocated of one type (MB, sampled).</summary>
/// <param name="Thread">Thread name (kernel comm) and id.</param>
/// <param name="Type">Type name.</param>
/// <param name="Mb">Sampled megabytes.</param>
public sealed record GcTraceAllocation(string Thread, string Type, double Mb);
