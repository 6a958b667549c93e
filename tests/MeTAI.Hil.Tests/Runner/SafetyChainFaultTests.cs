using MeTAI.Hil.Mqtt;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;
using MeTAI.Simulation;
using MeTAI.Simulation.Serial;
using Xunit.Abstractions;

namespace MeTAI.Hil.Tests.Runner;

/// <summary>
/// The safety-chain faults through the HIL's own injector, against the real controller on real transports: what the
/// controller does (its state, the interlock it raised) and what reached the servos (torque off, power, no motion after).
/// The rig runs the shared-machine settings (SimulatedRigOptions.ForSharedMachine: relay watchdog 1 s, relaxed watchdogs)
/// so that load on this machine does not trip something else first; the fault's own bound is asserted where it is the
/// shipped one (the e-stop watchdog).
/// </summary>
public sealed class SafetyChainFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EStopDeviceSilent_LatchesEStopTorqueOffAndNothingMovesAfter()
    {
        var controller = SimulatedRigOptions.ForSharedMachine(TestRobots.Arm6()).Controller;
        controller.EStopWatchdogMs = new ControllerOptions().EStopWatchdogMs;
        await using HilRig rig = await FollowingRigAsync(controller);
        Func<Task>? undo = await InjectAsync(rig, FaultKind.EStopDeviceSilent, 2);

        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.EStop, TimeSpan.FromSeconds(5)), rig.Sim.AuditTail());
        Assert.True(rig.Controller.Core.LastStopTransition.Interlocks.HasFlag(Interlocks.EStopDeviceSilent), rig.Controller.Core.LastStopTransition.ToString());
        await NothingMovesAfterAsync(rig);

        rig.Controller.Command(ControllerCommandKind.Reset, acknowledge: true);
        await Task.Delay(200);
        Assert.Equal(SafetyState.EStop, rig.Controller.State);
        await undo!();
        await SimulatedRig.WaitUntilAsync(() => !rig.Controller.Core.LastInterlocks.HasFlag(Interlocks.EStopDeviceSilent), TimeSpan.FromSeconds(5),
            "the controller to hear the e-stop device again");
        rig.Controller.Command(ControllerCommandKind.Reset, acknowledge: true);
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.Disabled, TimeSpan.FromSeconds(5)), rig.Sim.AuditTail());
    }

    [Fact]
    public async Task EStopDeviceWaitingForItsAcks_IsSilenceToTheController_AndRecoversWhenTheAcksFlow()
    {
        // The broker's PUBACKs to the e-stop device held back 3 s by the proxy for 2.5 s: every QoS 1 publish of the
        // device waits for its ack, so the device falls silent to the controller (EStop from the shipped 250 ms e-stop
        // watchdog). Once the acks flow again the controller must hear it again. With the heartbeat on a thread-pool
        // timer (before 2026-12-07) a blocked callback queued every 50 ms behind the publish lock and the device never
        // recovered — this test then failed here, and a 10 000-run campaign hung that way.
        var controller = SimulatedRigOptions.ForSharedMachine(TestRobots.Arm6()).Controller;
        controller.EStopWatchdogMs = new ControllerOptions().EStopWatchdogMs;
        await using HilRig rig = await FollowingRigAsync(controller);
        var hold = new ProxyRule { Direction = ProxyDirection.ToClient, User = "estop", LatencyMs = 3000 };
        rig.Proxy.AddRule(hold);
        int threadsBefore = ThreadPool.ThreadCount;
        await Task.Delay(2500);
        output.WriteLine($"thread pool while the acks were held: {threadsBefore} → {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items pending");
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.EStop, TimeSpan.FromSeconds(5)), rig.Sim.AuditTail());
        Assert.True(rig.Controller.Core.LastStopTransition.Interlocks.HasFlag(Interlocks.EStopDeviceSilent), rig.Controller.Core.LastStopTransition.ToString());

        rig.Proxy.RemoveRule(hold);
        await SimulatedRig.WaitUntilAsync(() => !rig.Controller.Core.LastInterlocks.HasFlag(Interlocks.EStopDeviceSilent), TimeSpan.FromSeconds(10),
            "the controller to hear the e-stop device again once its acks flow");
        rig.Controller.Command(ControllerCommandKind.Reset, acknowledge: true);
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.Disabled, TimeSpan.FromSeconds(5)), rig.Sim.AuditTail());
    }

    [Fact]
    public async Task EStopCableCut_PowerOffAtOnceEStopFromTheReadBackAndNothingMovesAfter()
    {
        await using HilRig rig = await FollowingRigAsync();
        Func<Task>? undo = await InjectAsync(rig, FaultKind.EStopCableCut, 2);

        PowerRelayTwin relay = rig.Servos.Relay!;
        Assert.False(relay.PowerOn); // category 0: the loop cut the power, no software in the path
        Assert.Equal(RelayTripCause.EStopLoopOpen, relay.LastTrip!.Cause);
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.EStop, TimeSpan.FromSeconds(5)), rig.Sim.AuditTail());
        Assert.Contains(rig.AuditTap.Drain(), e => e.Kind == "interlockRaised"
            && e.Fields.Any(kv => kv.Key == "detail" && kv.Value.Contains("wired e-stop loop open", StringComparison.Ordinal)));
        Assert.All(rig.Servos.Servos, s => Assert.False(s.MotorPowered));
        await NothingMovesAfterAsync(rig);

        // Reset refused while the loop is open.
        rig.Controller.Command(ControllerCommandKind.Reset, acknowledge: true);
        await Task.Delay(200);
        Assert.Equal(SafetyState.EStop, rig.Controller.State);
        await undo!();
    }

    [Fact]
    public async Task RelayFeedStopped_LoopStalled_RelayCutsPowerAndTheLoopFaultsWhenItRunsAgain()
    {
        await using HilRig rig = await FollowingRigAsync();
        PowerRelayTwin relay = rig.Servos.Relay!;
        long resyncs = rig.Controller.Loop.Statistics.Resyncs;
        // Longer than the loop-alive bound plus the shared-machine relay's 1 s watchdog.
        await InjectAsync(rig, FaultKind.RelayFeedStopped, 1.6);

        await SimulatedRig.WaitUntilAsync(() => !relay.PowerOn, TimeSpan.FromSeconds(5), "the relay to cut power");
        RelayTrip trip = relay.LastTrip!;
        Assert.Equal(RelayTripCause.FeedTimeout, trip.Cause);
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.Fault, TimeSpan.FromSeconds(5)), rig.Sim.AuditTail());
        StopTransitionCheck(rig, Interlocks.ServoPower);
        // Power went off while the loop was stalled, before the loop could do anything: the relay, not the software.
        Assert.True(relay.PowerOffTicks < rig.Controller.Core.LastStopTransition.Ticks, "power off only after the loop's own reaction");
        Assert.True(rig.Controller.Loop.Statistics.Resyncs > resyncs, "the loop was not stalled");
        output.WriteLine($"last feed → power off {trip.FeedToPowerOffMs:F1} ms (board watchdog {relay.FeedTimeoutMs} ms)");
        Assert.All(rig.Servos.Servos, s => Assert.False(s.MotorPowered));
        await NothingMovesAfterAsync(rig);
    }

    [Fact]
    public async Task RelayStuckClosed_FoundAtTheNextStop_FaultLatchedAndPowerUpRefused()
    {
        await using HilRig rig = await FollowingRigAsync();
        await InjectAsync(rig, FaultKind.RelayStuckClosed, 10);
        Assert.True(rig.Spent);

        // Invisible while fed; the operator's orderly stop shows it.
        rig.Controller.Command(ControllerCommandKind.Disable);
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.Fault, TimeSpan.FromSeconds(5)), rig.Sim.AuditTail());
        StopTransitionCheck(rig, Interlocks.ServoPower);
        Assert.Contains("stuck closed", rig.Controller.Servo.Relay.StuckDetail, StringComparison.Ordinal);
        Assert.True(rig.Servos.Relay!.PowerOn); // welded: power still on, so torque off is what holds the arm
        Assert.All(rig.Servos.Servos, s => Assert.False(s.TorqueEnabled));
        await NothingMovesAfterAsync(rig);

        // Latched for good: neither a reset nor a power-up gets past a welded relay.
        rig.Controller.Command(ControllerCommandKind.Reset, acknowledge: true);
        rig.Controller.Command(ControllerCommandKind.Enable);
        await Task.Delay(300);
        Assert.Equal(SafetyState.Fault, rig.Controller.State);
        Assert.All(rig.Servos.Servos, s => Assert.False(s.TorqueEnabled));
    }

    private static async Task<HilRig> FollowingRigAsync(ControllerOptions? controller = null)
    {
        SimulatedRigOptions options = SimulatedRigOptions.ForSharedMachine(TestRobots.Arm6());
        HilRig rig = await HilRig.StartAsync(new HilRigOptions { Rig = controller is null ? options : options with { Controller = controller } });
        try
        {
            await rig.BringToAsync(ScenarioStart.Following);
            rig.Master.Follow(t => rig.MasterHome with { Position = new Core.Geometry.Vec3(0, 0.01 * Math.Sin(2 * Math.PI * t), 0) });
            await Task.Delay(200);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    private static Task<Func<Task>?> InjectAsync(HilRig rig, FaultKind kind, double durationS) =>
        FaultInjector.StartAsync(new FaultSpec { Id = "f", Kind = kind, AtS = 0, DurationS = durationS }, rig, CancellationToken.None);

    private static void StopTransitionCheck(HilRig rig, Interlocks interlock) =>
        Assert.True(rig.Controller.Core.LastStopTransition.Interlocks.HasFlag(interlock), rig.Controller.Core.LastStopTransition.ToString());

    // Torque is off on every servo and no servo moves while the master keeps moving.
    private static async Task NothingMovesAfterAsync(HilRig rig)
    {
        await SimulatedRig.WaitUntilAsync(() => rig.Servos.Servos.All(s => !s.TorqueEnabled), TimeSpan.FromSeconds(5), "torque off on every servo");
        await Task.Delay(100);
        int[] at = [.. rig.Servos.Servos.Select(s => s.PresentCounts)];
        await Task.Delay(300);
        int[] later = [.. rig.Servos.Servos.Select(s => s.PresentCounts)];
        for (int j = 0; j < at.Length; j++)
        {
            Assert.InRange(later[j], at[j] - rig.ServoSettings.EncoderNoiseCounts, at[j] + rig.ServoSettings.EncoderNoiseCounts);
        }
    }
}
