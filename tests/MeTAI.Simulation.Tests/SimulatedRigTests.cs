using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;

namespace MeTAI.Simulation.Tests;

public class SimulatedRigTests
{
    [Fact]
    public async Task BringToFollowing_MasterMoves_ServoGoalsFollowOverPty()
    {
        await using SimulatedRig rig = await SimulatedRig.StartAsync(TestRigs.Options());
        await rig.FollowAsync();
        Assert.Equal(SafetyState.Following, rig.Controller.State);

        int before = rig.Servos.Servos[0].GoalCounts;
        Vec3 toolBefore = rig.Robot.ForwardKinematics(rig.Controller.Core.CommandRad).Position;
        rig.Master.SetPose(rig.MasterHome with { Position = new Vec3(0, 0.05, 0) });

        // 5 cm at the master is 1 cm at the tool (scale 0.2).
        await SimulatedRig.WaitUntilAsync(() => rig.Robot.ForwardKinematics(rig.Controller.Core.CommandRad).Position.Y - toolBefore.Y > 0.0095, TimeSpan.FromSeconds(10));
        Assert.Equal(SafetyState.Following, rig.Controller.State);
        Assert.NotEqual(before, rig.Servos.Servos[0].GoalCounts);
        Assert.True(rig.Servos.SyncWrites > 10);
    }
}

public class GcSlotTests
{
    [Fact]
    public async Task GcSlot_LoopRunsTheCollectionsItselfBetweenSteps()
    {
        // A 512 KiB "budget": the rig's broker, clients and twins allocate that in well under a second, so the loop must
        // have collected by itself (half the budget allocated since the last collection) several times within 3 s.
        ControllerOptions controller = TestRigs.Relaxed();
        controller.GcSlotBudgetBytes = 512 * 1024;
        await using SimulatedRig rig = await SimulatedRig.StartAsync(TestRigs.Options(controller));
        await rig.FollowAsync();
        LoopStatistics stats = rig.Controller.Loop.Statistics;
        long before = stats.GcSlots;
        await SimulatedRig.WaitUntilAsync(() => stats.GcSlots - before >= 3, TimeSpan.FromSeconds(30));
        Assert.True(stats.GcSlotUs.Count >= 3);
        Assert.Equal(SafetyState.Following, rig.Controller.State);
    }

    [Fact]
    public void GcSlot_RejectsANonPositiveBudget()
    {
        var options = new ControllerOptions { GcSlotBudgetBytes = 0 };
        Assert.Throws<ArgumentException>(options.Validate);
    }
}
