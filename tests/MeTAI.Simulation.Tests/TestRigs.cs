using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Control;

namespace MeTAI.Simulation.Tests;

/// <summary>
/// Rig settings for tests on a shared, loaded 2-core machine: the quantity under test keeps its real default;
/// everything else gets generous timeouts so scheduling stalls of other processes do not trip unrelated interlocks.
/// </summary>
internal static class TestRigs
{
    // Why not the defaults (30 ms heartbeat and pose watchdogs, 40 ms servo timeout, 50 ms tracking lag): measured on this
    // machine on 2026-12-06 at load 15–60, 14 of 60 campaign runs at the defaults stopped before any fault was injected
    // (12 ServoBus, 2 heartbeat; docs/safety.md, "Defaults on a shared machine"). A test here proves one interlock at its
    // real default; a spurious trip of another would fail it for a reason it is not about. The defaults themselves are
    // proven by the bundled scenarios and the campaign, which override nothing.
    public static ControllerOptions Relaxed(double heartbeatWatchdogMs = 400) => new()
    {
        HeartbeatWatchdogMs = heartbeatWatchdogMs,
        PoseWatchdogMs = 400, // the master's pose stream rides the same MQTT path as its heartbeat
        EStopWatchdogMs = 1000, // the e-stop device's heartbeat too
        ServoTimeoutMs = 1000,
        TrackingLagMs = 300,
    };

    public static SimulatedRigOptions Options(ControllerOptions? controller = null, Corridor? corridor = null, string? auditPath = null,
        (string Host, int Port)? externalBroker = null, IReadOnlyList<RigUser>? users = null, long? noGcRegionBytes = null) =>
        SimulatedRigOptions.ForSharedMachine(TestRobots.Arm6()) with
        {
            // The servos' own 100 ms watchdog is tested on its own (ServoFaultTests); ForSharedMachine sets it to 1 s.
            Controller = controller ?? Relaxed(),
            Corridor = corridor,
            AuditPath = auditPath ?? TempAudit(),
            ExternalBroker = externalBroker,
            Users = users,
            NoGcRegionBytes = noGcRegionBytes,
        };

    public static string TempAudit() => Path.Combine(Path.GetTempPath(), "metai-audit-" + Guid.NewGuid().ToString("N") + ".jsonl");
}

internal static class RigExtensions
{
    /// <summary>Brings the rig to Following, recovering when load on the shared machine tripped an unrelated interlock on the way.</summary>
    public static Task FollowAsync(this SimulatedRig rig) => rig.FollowingWithRetriesAsync();

    /// <summary>Brings the rig to Ready, recovering like <see cref="FollowAsync"/>.</summary>
    public static Task ReadyAsync(this SimulatedRig rig) => rig.ReadyWithRetriesAsync();
}
