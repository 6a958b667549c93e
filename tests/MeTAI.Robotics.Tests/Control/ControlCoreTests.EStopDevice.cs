using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Tests.Control;

/// <summary>The e-stop device's heartbeat: its watchdog in the loop.</summary>
public partial class ControlCoreTests
{
    [Fact]
    public void EStopDeviceFallsSilent_WhileFollowing_LatchesEStopWithTorqueOffAndNothingMovesAfter()
    {
        var h = new Harness();
        h.ToFollowing();
        long lastBeat = h.Cycle - 1;
        int torqueOffs = h.Servos.TorqueOffs;
        h.EStopDeviceOn = false;
        for (int i = 0; i < 400 && h.Core.Supervisor.State == SafetyState.Following; i++)
        {
            h.Step(h.MasterHome);
        }

        Assert.Equal(SafetyState.EStop, h.Core.Supervisor.State);
        Assert.True((h.Core.LastStopTransition.Interlocks & Interlocks.EStopDeviceSilent) != 0, h.Core.LastStopTransition.ToString());
        long after = h.Core.LastStopTransition.Cycle - lastBeat;
        Assert.True(after > h.Options.EStopWatchdogMs - 2 && after <= h.Options.EStopWatchdogMs + 2, $"EStop {after} cycles after the last heartbeat");
        Assert.Equal(torqueOffs + 1, h.Servos.TorqueOffs);

        // Nothing moves after: the master keeps commanding, no motion write reaches the servos.
        long writes = h.Servos.MotionWrites;
        for (int i = 0; i < 200; i++)
        {
            h.Step(h.MasterHome with { Position = h.MasterHome.Position + new MeTAI.Core.Geometry.Vec3(0, 0.001 * i, 0) });
        }

        Assert.Equal(writes, h.Servos.MotionWrites);
        Assert.Equal(SafetyState.EStop, h.Core.Supervisor.State);

        // Reset is refused while the device is silent, accepted once it heartbeats again.
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Reset, Acknowledge = true });
        h.Step(h.MasterHome);
        Assert.Equal(SafetyState.EStop, h.Core.Supervisor.State);
        h.EStopDeviceOn = true;
        h.Step(h.MasterHome);
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Reset, Acknowledge = true });
        h.Step(h.MasterHome);
        Assert.Equal(SafetyState.Disabled, h.Core.Supervisor.State);
    }

    [Fact]
    public void NoEStopDeviceHeartbeat_EnableRefusedUntilItHeartbeats()
    {
        var h = new Harness { EStopDeviceOn = false };
        h.Step(h.MasterHome);
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Enable });
        h.Step(h.MasterHome);

        // The controller starts before its devices: in Disabled a silent device refuses power-up, it latches nothing.
        Assert.Equal(SafetyState.Disabled, h.Core.Supervisor.State);
        Assert.True((h.Core.LastInterlocks & Interlocks.EStopDeviceSilent) != 0);
        Assert.Equal(0, h.Servos.MotionWrites);

        h.EStopDeviceOn = true;
        h.Step(h.MasterHome);
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Enable });
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Enabled, h.MasterHome);
    }

    [Fact]
    public void EStopDeviceRepeatsItsSequence_IsNoHeartbeat_LatchesEStop()
    {
        // A device (or a replaying broker) that repeats one message is as silent as a dead one.
        var h = new Harness();
        h.ToFollowing();
        h.EStopDeviceOn = false;
        long frozen = h.EStopSequence;
        for (int i = 0; i < 400 && h.Core.Supervisor.State == SafetyState.Following; i++)
        {
            h.Inputs.EStopDevice(false, frozen);
            h.Step(h.MasterHome);
        }

        Assert.Equal(SafetyState.EStop, h.Core.Supervisor.State);
    }
}
