using System.Runtime;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Tests.Control;

/// <summary>The no-GC region is the whole process's: these tests run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessGcGroup
{
    public const string Name = "process-gc";
}

[Collection(ProcessGcGroup.Name)]
public class NoGcRegionStewardTests
{
    private static object? _sink;

    [Fact]
    public void OpensOnlyWhileStill_MotionAllocatesWithoutCollection_SpentRegionReopensAtTheNextStillMoment()
    {
        using var steward = new NoGcRegionSteward(64L << 20);

        // In motion nothing is opened (its collection would stop the loop mid-motion).
        steward.Observe(SafetyState.Following);
        Assert.Equal(0, steward.Opened);
        Assert.False(steward.IsOpen);

        steward.Observe(SafetyState.Ready);
        Assert.Equal(1, steward.Opened);
        Assert.True(steward.IsOpen);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

        // Motion allocating well inside the region: no collection.
        int collections = GC.CollectionCount(0);
        steward.Observe(SafetyState.Following);
        Allocate(8L << 20);
        steward.Observe(SafetyState.Following);
        Assert.Equal(collections, GC.CollectionCount(0));
        Assert.True(steward.IsOpen);

        // Spending it ends the region with an ordinary collection; no new one while the arm moves.
        Allocate(200L << 20);
        Assert.True(GC.CollectionCount(0) > collections);
        steward.Observe(SafetyState.Following);
        Assert.Equal(1, steward.Exhausted);
        Assert.False(steward.IsOpen);
        Assert.Equal(1, steward.Opened);

        // The next still moment opens another.
        steward.Observe(SafetyState.Paused);
        Assert.Equal(2, steward.Opened);
        Assert.True(steward.IsOpen);

        steward.Dispose();
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void MoreThanHalfSpent_IsRenewedAtAStillMoment_NeverInMotion()
    {
        using var steward = new NoGcRegionSteward(64L << 20);
        steward.Observe(SafetyState.Ready);
        Allocate(40L << 20);
        int collections = GC.CollectionCount(0);

        steward.Observe(SafetyState.Following);
        Assert.Equal(0, steward.Renewed);
        Assert.Equal(collections, GC.CollectionCount(0));

        steward.Observe(SafetyState.Ready);
        Assert.Equal(1, steward.Renewed);
        Assert.Equal(2, steward.Opened);
        Assert.Equal(0, steward.Exhausted);
        Assert.True(steward.IsOpen);
    }

    [Theory]
    [InlineData(SafetyState.Homing)]
    [InlineData(SafetyState.Teleoperating)]
    [InlineData(SafetyState.Following)]
    [InlineData(SafetyState.Clutched)]
    [InlineData(SafetyState.ExecutingTrajectory)]
    public void NeverOpensInAMotionState(SafetyState state)
    {
        using var steward = new NoGcRegionSteward(16L << 20);
        steward.Observe(state);
        Assert.Equal(0, steward.Opened);
        Assert.True(NoGcRegionSteward.IsMotion(state));
    }

    [Fact]
    public void TooSmallARegion_IsRefusedAtConstruction() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoGcRegionSteward(1000));

    private static void Allocate(long bytes)
    {
        // Small objects (the MQTT client's kind of garbage), kept only until the next one.
        for (long done = 0; done < bytes; done += 1024)
        {
            _sink = new byte[1000];
        }

        GC.KeepAlive(_sink);
    }
}
