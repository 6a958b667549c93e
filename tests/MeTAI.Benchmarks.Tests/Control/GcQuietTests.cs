using MeTAI.Benchmarks.Control;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Simulation;
using MeTAI.TestUtilities;

namespace MeTAI.Benchmarks.Tests.Control;

/// <summary>The GC diagnostics of <c>bench control</c> and the controller's no-GC region, on the real rig.</summary>
public class GcQuietTests
{
    [Fact]
    public async Task GcTrace_HearsAnInducedCollectionWithItsPause_AndNamesTheThreadThatAllocates()
    {
        using var trace = new GcTrace();
        trace.Record(true);
        using var done = new ManualResetEventSlim();
        var t = new Thread(() =>
        {
            object? keep = null;
            for (int i = 0; i < 20_000; i++)
            {
                keep = new byte[1000];
            }

            GC.KeepAlive(keep);
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);

            // Alive until its events are heard: the listener names a thread by its /proc entry.
            done.Wait();
        }) { Name = "gc-trace-test" };
        t.Start();

        // The runtime hands its events to the listener on a dispatch thread, a little later.
        GcTraceResult r = trace.Result();
        for (int i = 0; i < 100 && !Heard(r); i++)
        {
            await Task.Delay(100);
            r = trace.Result();
        }

        done.Set();
        t.Join();

        Assert.True(Heard(r), "heard: " + string.Join("; ", r.Collections) + " / " + string.Join("; ", r.Allocations));
        GcTracePause induced = r.Collections.First(c => c.Reason == "Induced" && c.Thread.StartsWith("gc-trace-test", StringComparison.Ordinal));
        Assert.InRange(induced.Generation, 0, 2); // gen0 asked; the GC may take more (it did right after a no-GC region)
        Assert.True(induced.PauseUs > 0 && induced.PauseUs >= induced.SuspendUs, induced.ToString());
        Assert.True(r.SampledAllocationMb > 0.1);

        static bool Heard(GcTraceResult r) =>
            r.Collections.Any(c => c.Reason == "Induced" && c.Thread.StartsWith("gc-trace-test", StringComparison.Ordinal))
            && r.Allocations.Any(a => a.Thread.StartsWith("gc-trace-test", StringComparison.Ordinal) && a.Type == "System.Byte[]");
    }

    [Fact]
    public async Task NoGcRegion_OpenedWhileStill_FollowingRunsWithoutACollection()
    {
        // 512 MiB: the in-process rig (broker, twins, MQTT clients) allocates a few MB a second, so 3 s of following
        // fits in it many times over.
        RobotModel robot = RobotConfigJson.Load(RepositoryPaths.Config("robots", "metai-arm6.json"));
        await using SimulatedRig rig = await SimulatedRig.StartAsync(SimulatedRigOptions.ForSharedMachine(robot) with { NoGcRegionBytes = 512L << 20 });
        NoGcRegionSteward steward = rig.Controller.NoGc!;
        await SimulatedRig.WaitUntilAsync(() => steward.IsOpen, TimeSpan.FromSeconds(10));
        await rig.FollowingWithRetriesAsync();
        Assert.True(steward.IsOpen);
        int collections = GC.CollectionCount(0);
        long opened = steward.Opened;

        rig.Master.Follow(ControlBenchDevices.Circle(rig.MasterHome));
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(SafetyState.Following, rig.Controller.State);
        Assert.Equal(collections, GC.CollectionCount(0));
        Assert.Equal(opened, steward.Opened);
        Assert.Equal(0, steward.Exhausted);
        Assert.True(rig.Servos.SyncWrites > 100);
    }
}
