using System.Diagnostics;
using System.Globalization;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Safety;

namespace MeTAI.Hil.Tests.Runner;

using Interlocks = MeTAI.Robotics.Safety.Interlocks;

/// <summary>
/// Stalls of the whole test process (<see cref="StallWitness"/>): the witness records when it could not run; a reaction
/// timed across a witnessed stall gets exactly the stall's overlap with its window added to its bound, said in the
/// verdict — and nothing when the witness was not real-time, or the stall lay outside the window.
/// </summary>
public sealed class StallWitnessTests
{
    private static readonly long F = Stopwatch.Frequency;
    private static readonly long T0 = 10 * F;

    private static long Ms(double ms) => (long)(ms * 1e-3 * F);

    private static readonly Scenario Judge = new() { Name = "judge", DurationS = 1, RobotPath = "configs/robots/metai-arm6.json" };

    // e-stop cable cut: EStop within 30 ms of the injection (the campaign's bound: relay read every 10 ms + 20).
    private static readonly AssertionSpec CableCut = new()
    {
        Id = "f1-reaction",
        Kind = AssertionKind.Reaction,
        Safety = true,
        Fault = "f1",
        States = [SafetyState.EStop],
        Interlock = Interlocks.EStop,
        WithinMs = 30,
        WithinCycles = 2,
    };

    private static AuditEvent Transition(long ticks, SafetyState from, SafetyState to) =>
        new("transition", ticks / Ms(1), ticks,
        [
            new("from", from.ToString()), new("to", to.ToString()), new("trigger", "InterlockEStop"), new("interlocks", "EStop"),
            new("cycleTicks", ticks.ToString(CultureInfo.InvariantCulture)),
        ]);

    private static AuditEvent Raise(long ticks) =>
        new("interlockRaised", ticks / Ms(1), ticks,
        [
            new("interlock", nameof(Interlocks.EStop)), new("reaction", "EStopTorqueOff"), new("state", "Following"),
            new("cycleTicks", ticks.ToString(CultureInfo.InvariantCulture)), new("inputTicks", "0"), new("inputCycle", "-1"),
        ]);

    // EStop 36 ms after the cut (6 ms over the bound), with the given stalls of the process.
    private static HilTrace Trace(bool witnessed, params ProcessStall[] stalls) => new(TestRobots.Arm6(), T0 - F, T0 + F)
    {
        Faults = [new FaultRecord("f1", FaultKind.EStopCableCut, "e-stop cable cut", T0, T0 + Ms(300))],
        Audit =
        [
            Transition(T0 - Ms(500), SafetyState.Aligning, SafetyState.Following),
            Raise(T0 + Ms(36)),
            Transition(T0 + Ms(36), SafetyState.Following, SafetyState.EStop),
        ],
        ProcessStalls = stalls,
        StallsWitnessed = witnessed,
    };

    [Fact]
    public void StallMsBetween_SumsTheOverlapOfEachStallWithTheWindow()
    {
        HilTrace t = Trace(true, new ProcessStall(T0 - Ms(5), T0 + Ms(3), 8), new ProcessStall(T0 + Ms(10), T0 + Ms(14), 0), new ProcessStall(T0 + Ms(50), T0 + Ms(60), 0));
        Assert.Equal(3 + 4, t.StallMsBetween(T0, T0 + Ms(40)), 6);
        Assert.Equal(0, t.StallMsBetween(T0 + Ms(20), T0 + Ms(40)), 6);
        Assert.Equal(0, Trace(false, new ProcessStall(T0, T0 + Ms(10), 0)).StallMsBetween(T0, T0 + Ms(40)), 6);
    }

    [Fact]
    public void StallMsBetween_CountsTimeWhenAnyCpuStoodStill_OverlapsOnce()
    {
        // CPU 0 stood still 10–20 ms, CPU 1 15–30 ms (one host steal each) and both 50–54 ms (a collection seen by both):
        // at least one CPU stood still for 10–30 and 50–54, 24 ms; the collection's 4 ms counts once.
        HilTrace t = Trace(true,
            new ProcessStall(T0 + Ms(10), T0 + Ms(20), 0, Cpu: 0),
            new ProcessStall(T0 + Ms(15), T0 + Ms(30), 0, Cpu: 1),
            new ProcessStall(T0 + Ms(50), T0 + Ms(54), 4, 0, Cpu: 0),
            new ProcessStall(T0 + Ms(50), T0 + Ms(54), 4, 0, Cpu: 1));
        Assert.Equal(24, t.StallMsBetween(T0, T0 + Ms(100)), 6);
        Assert.Equal(5, t.StallMsBetween(T0 + Ms(25), T0 + Ms(40)), 6);
        Assert.Equal(4, t.GcMsBetween(T0, T0 + Ms(100)), 6);
    }

    [Fact]
    public void Witness_RunsOneThreadPerCpu()
    {
        StallWitness w = StallWitness.Shared(realtime: false);
        long before = w.Wakes;
        var sw = Stopwatch.StartNew();
        while (w.Wakes - before < 200 && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(10);
        }

        // Every CPU's witness wakes about every millisecond: 100 ms of wall time brings at least one wake per CPU. There is
        // one per CPU the process may run on (its affinity mask).
        long mark = w.Wakes;
        Thread.Sleep(100);
        Assert.True(w.Wakes - mark >= w.Cpus, $"{w.Wakes - mark} wakes in 100 ms on {w.Cpus} CPU(s)");
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(System.Numerics.BitOperations.PopCount((ulong)(long)Process.GetCurrentProcess().ProcessorAffinity), w.Cpus);
        }
    }

    [Fact]
    public void ReactionOverItsBound_WithNoStall_IsAViolation()
    {
        AssertionResult r = AssertionEvaluator.Evaluate(CableCut, Trace(true), Judge);
        Assert.True(r.IsViolation, r.Detail);
        Assert.DoesNotContain(AssertionEvaluator.StallMarker, r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ReactionOverItsBound_AcrossAWitnessedStallAsLong_PassesAndSaysSo()
    {
        AssertionResult r = AssertionEvaluator.Evaluate(CableCut, Trace(true, new ProcessStall(T0 + Ms(12), T0 + Ms(19), 6.5, 0)), Judge);
        Assert.True(r.Passed, r.Detail);
        Assert.Contains(AssertionEvaluator.StallMarker + " 7.0 ms", r.Detail, StringComparison.Ordinal);
        Assert.Contains("6.5 ms of it garbage collection", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ReactionOverItsBound_StallTooShortOrOutsideOrNotWitnessed_IsAViolation()
    {
        // 5 ms of stall does not cover 6 ms over the bound; a stall after the reaction is not in its window; a witness that
        // was not real-time proves nothing.
        Assert.True(AssertionEvaluator.Evaluate(CableCut, Trace(true, new ProcessStall(T0 + Ms(12), T0 + Ms(17), 0)), Judge).IsViolation);
        Assert.True(AssertionEvaluator.Evaluate(CableCut, Trace(true, new ProcessStall(T0 + Ms(40), T0 + Ms(60), 0)), Judge).IsViolation);
        Assert.True(AssertionEvaluator.Evaluate(CableCut, Trace(false, new ProcessStall(T0 + Ms(5), T0 + Ms(30), 0)), Judge).IsViolation);
    }

    [Fact]
    public void Witness_RecordsAStallOfTheWholeProcess_WithItsCollection()
    {
        StallWitness w = StallWitness.Shared(realtime: false);
        long wakes = w.Wakes;
        SpinWait.SpinUntil(() => w.Wakes > wakes + 5, 5000);
        Assert.True(w.Wakes > wakes, "the witness thread wakes every millisecond");

        // A blocking full collection of a heap made large for it suspends every managed thread, the witness included.
        long from = Stopwatch.GetTimestamp();
        var keep = new List<byte[]>();
        for (int i = 0; i < 200_000; i++)
        {
            keep.Add(new byte[512]);
        }

        IReadOnlyList<ProcessStall> found = [];
        for (int attempt = 0; attempt < 20 && !found.Any(s => s.GcGeneration >= 0); attempt++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Thread.Sleep(20);
            found = [.. w.Between(from, Stopwatch.GetTimestamp()).Where(s => s.GcPauseMs > 0)];
        }

        GC.KeepAlive(keep);
        Assert.NotEmpty(found);
        // The generation is read from the collection counts, which a collection may bump only after the witness ran again:
        // every stall is long enough to count, and at least one names the generation collected.
        Assert.All(found, s => Assert.True(s.Ms >= StallWitness.ThresholdMs, $"{s}"));
        Assert.Contains(found, s => s.GcGeneration >= 0);
    }
}
