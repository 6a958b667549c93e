using MeTAI.Robotics.Control;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation.Tests.Interlocks;

/// <summary>Servo-side interlocks over the pty: hardware error status, a silent bus, and the servos' own bus watchdog.</summary>
public class ServoFaultTests
{
    [Fact]
    public async Task HardwareError_Faults_ResetRefusedUntilCleared()
    {
        await using SimulatedRig rig = await SimulatedRig.StartAsync(TestRigs.Options());
        await rig.FollowAsync();
        rig.Servos.Servos[3].SetHardwareError(XmControlTable.HwErrorOverload);
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.Fault, TimeSpan.FromSeconds(10)), rig.AuditTail());
        Assert.Contains("\"interlock\":\"ServoHardwareError\"", rig.AuditTail(40), StringComparison.Ordinal);

        // Latched while the servo still reports the error.
        rig.Controller.Command(ControllerCommandKind.Reset, acknowledge: true);
        await Task.Delay(300);
        Assert.Equal(SafetyState.Fault, rig.Controller.State);

        // Cleared (as after a servo reboot): the acknowledged reset is accepted.
        rig.Servos.Servos[3].SetHardwareError(0);
        await SimulatedRig.WaitUntilAsync(() => !rig.Controller.Core.LastInterlocks.HasFlag(MeTAI.Robotics.Safety.Interlocks.ServoHardwareError), TimeSpan.FromSeconds(10));
        rig.Controller.Command(ControllerCommandKind.Reset, acknowledge: true);
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.Disabled, TimeSpan.FromSeconds(5)), rig.AuditTail());
    }

    [Fact]
    public async Task SilentBus_ServoBusFault()
    {
        var options = TestRigs.Options(TestRigs.Relaxed() is var c ? new ControllerOptions { HeartbeatWatchdogMs = c.HeartbeatWatchdogMs, PoseWatchdogMs = c.PoseWatchdogMs, ServoTimeoutMs = 300, TrackingLagMs = c.TrackingLagMs } : null);
        await using SimulatedRig rig = await SimulatedRig.StartAsync(options);
        await rig.FollowAsync();
        rig.Servos.StopResponding();
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.Fault, TimeSpan.FromSeconds(10)), rig.AuditTail());
        Assert.Contains("\"interlock\":\"ServoBus\"", rig.AuditTail(40), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControllerGoesSilent_ServosTripTheirBusWatchdogAndStop()
    {
        using var chain = new ServoChainTwin(new ServoChainOptions { Servos = [new ServoTwinOptions { Id = 1 }, new ServoTwinOptions { Id = 2 }] });
        chain.Start();
        var io = new ServoIo(new DynamixelBus(new DynamixelBusOptions { PortName = chain.SlavePath, ReplyTimeoutMs = 150 }), [1, 2]);
        io.Start();
        io.RequestPowerUp();
        await SimulatedRig.WaitUntilAsync(() => io.PowerUp != PowerUpStatus.Running, TimeSpan.FromSeconds(10));
        Assert.Equal(PowerUpStatus.Ready, io.PowerUp);
        Assert.False(chain.Servo(1).WatchdogTripped);

        // The controller's IO stops (a crash): after 5 × 20 ms the servos stop by themselves and refuse goals.
        io.Stop();
        await SimulatedRig.WaitUntilAsync(() => chain.Servo(1).WatchdogTripped && chain.Servo(2).WatchdogTripped, TimeSpan.FromSeconds(5));
        io.Dispose();
    }
}
