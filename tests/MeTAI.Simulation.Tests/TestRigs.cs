using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Control;

namespace MeTAI.Simulation.Tests;

/// <summary>
/// Rig settings for tests on a shared, loaded 2-core machine: the quantity under test keeps its real default;
/// everything else gets generous timeouts so scheduling stalls of other processes do not trip unrelated interlocks.
/// </summary>
internal static class TestRigs
{
    public static ControllerOptions Relaxed(double heartbeatWatchdogMs = 400) => new()
    {
        HeartbeatWatchdogMs = heartbeatWatchdogMs,
        ServoTimeoutMs = 1000,
        TrackingLagMs = 300,
    };

    public static SimulatedRigOptions Options(ControllerOptions? controller = null, Corridor? corridor = null, string? auditPath = null,
        (string Host, int Port)? externalBroker = null, IReadOnlyList<RigUser>? users = null, long? noGcRegionBytes = null) => new()
    {
        Robot = TestRobots.Arm6(),
        Controller = controller ?? Relaxed(),
        Corridor = corridor,
        AuditPath = auditPath ?? TempAudit(),
        ReplyTimeoutMs = 150,

        // 1 s instead of 100 ms: the servos' own watchdog is tested on its own (ServoFaultTests).
        ServoIo = new MeTAI.Robotics.ServoBus.ServoIoOptions { BusWatchdog20Ms = 50 },
        Retries = 3,
        ExternalBroker = externalBroker,
        Users = users,
        NoGcRegionBytes = noGcRegionBytes,
    };

    public static string TempAudit() => Path.Combine(Path.GetTempPath(), "metai-audit-" + Guid.NewGuid().ToString("N") + ".jsonl");
}

internal static class RigExtensions
{
    /// <summary>
    /// Brings the rig to Following, retrying when load on the shared machine tripped an unrelated interlock on the
    /// way (a late heartbeat or servo reply): Resume after a hold, acknowledged Reset after a fault.
    /// </summary>
    public static async Task FollowAsync(this SimulatedRig rig)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await rig.BringToFollowingAsync();
                return;
            }
            catch (TimeoutException) when (attempt < 5)
            {
                await Recover(rig);
            }
        }
    }

    /// <summary>Brings the rig to Ready, retrying like <see cref="FollowAsync"/>.</summary>
    public static async Task ReadyAsync(this SimulatedRig rig)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                if (rig.Controller.State != MeTAI.Robotics.Safety.SafetyState.Ready)
                {
                    await rig.BringToReadyAsync();
                }

                return;
            }
            catch (TimeoutException ex) when (attempt < 5)
            {
                Console.Error.WriteLine("rig: recovering after " + ex.Message);
                await Recover(rig);
            }
        }
    }

    private static async Task Recover(SimulatedRig rig)
    {
        await Task.Delay(200);
        switch (rig.Controller.State)
        {
            case MeTAI.Robotics.Safety.SafetyState.Paused:
                rig.Controller.Command(ControllerCommandKind.Resume);
                await rig.Controller.WaitForStateAsync(MeTAI.Robotics.Safety.SafetyState.Ready, TimeSpan.FromSeconds(2));
                rig.Controller.Command(ControllerCommandKind.Disable);
                break;
            case MeTAI.Robotics.Safety.SafetyState.Fault:
            case MeTAI.Robotics.Safety.SafetyState.EStop:
                rig.Controller.Command(ControllerCommandKind.Reset, acknowledge: true);
                break;
            default:
                rig.Controller.Command(ControllerCommandKind.Disable);
                break;
        }

        await rig.Controller.WaitForStateAsync(MeTAI.Robotics.Safety.SafetyState.Disabled, TimeSpan.FromSeconds(2));
    }
}
