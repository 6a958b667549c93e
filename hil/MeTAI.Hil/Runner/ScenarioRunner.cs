using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.ServoBus;
using MeTAI.Simulation;

namespace MeTAI.Hil.Runner;

/// <summary>
/// Runs a scenario against the real controller over real transports: starts a <see cref="HilRig"/>, brings the
/// controller to the scenario's start state with operator commands over MQTT, plays the timeline and the fault schedule
/// on scenario time, records the trace, judges the assertions and (with a report folder) writes plots, the trace, the
/// beam log and the audit log. The demo and the CLI call <see cref="RunAsync"/>.
/// </summary>
public static partial class ScenarioRunner
{
    /// <summary>How long recording goes on after the scenario's end (ms), so reactions begun just before it are observed.</summary>
    public const int TraceTailMs = 150;

    /// <summary>Runs <paramref name="scenario"/> on a rig of its own.</summary>
    public static async Task<ScenarioResult> RunAsync(Scenario scenario, ScenarioRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new ScenarioRunOptions();
        var wall = Stopwatch.StartNew();
        Prepared prepared;
        try
        {
            prepared = Prepare(scenario, options);
        }
        catch (Exception ex) when (ex is IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            return new ScenarioResult { Scenario = scenario, Error = ex.Message, WallSeconds = wall.Elapsed.TotalSeconds };
        }

        string? dir = options.ReportDirectory;
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        HilRig? rig = null;
        using ScenarioNoGcRegion? noGc = ScenarioNoGcRegion.TryOpen();
        try
        {
            rig = await HilRig.StartAsync(RigOptionsFor(scenario, prepared, options, dir is null ? null : Path.Combine(dir, "audit.jsonl")), cancellationToken).ConfigureAwait(false);
            return await RunCoreAsync(rig, scenario, prepared, options, wall, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException
            or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            return new ScenarioResult { Scenario = scenario, Error = ex.GetType().Name + ": " + ex.Message, WallSeconds = wall.Elapsed.TotalSeconds };
        }
        finally
        {
            if (rig is not null)
            {
                await rig.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs <paramref name="scenario"/> on an existing rig (campaigns): reset, bring to the start state, run.</summary>
    public static async Task<ScenarioResult> RunOnRigAsync(HilRig rig, Scenario scenario, ScenarioRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rig);
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new ScenarioRunOptions();
        var wall = Stopwatch.StartNew();
        try
        {
            Prepared prepared = Prepare(scenario, options, rig.Robot);
            await rig.ResetAsync(cancellationToken).ConfigureAwait(false);
            return await RunCoreAsync(rig, scenario, prepared, options, wall, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException
            or System.Net.Sockets.SocketException or FormatException or ArgumentException)
        {
            return new ScenarioResult { Scenario = scenario, Error = ex.GetType().Name + ": " + ex.Message, WallSeconds = wall.Elapsed.TotalSeconds };
        }
    }

    /// <summary>Rig options for a scenario (campaign workers build one rig from the first scenario).</summary>
    internal static HilRigOptions RigOptionsFor(Scenario scenario, Prepared prepared, ScenarioRunOptions options, string? auditPath)
    {
        ControllerSettings c = scenario.Controller;
        var controller = new ControllerOptions();
        controller.HeartbeatWatchdogMs = c.HeartbeatWatchdogMs ?? controller.HeartbeatWatchdogMs;
        controller.PoseWatchdogMs = c.PoseWatchdogMs ?? controller.PoseWatchdogMs;
        controller.ServoTimeoutMs = c.ServoTimeoutMs ?? controller.ServoTimeoutMs;
        controller.TrackingLagMs = c.TrackingLagMs ?? controller.TrackingLagMs;
        controller.SpinMarginUs = options.SpinMarginUs ?? controller.SpinMarginUs;
        // As deployed (`metai control --rt`): the loop and servo IO threads at SCHED_FIFO, and the hardware twins too.
        controller.UseRealtimeScheduling = options.Realtime;
        RadiotherapySettings? rt = scenario.Radiotherapy;
        return new HilRigOptions
        {
            Rig = new SimulatedRigOptions
            {
                Robot = prepared.Robot,
                Controller = controller,
                MasterSpinMarginUs = options.SpinMarginUs ?? 200,
                ServoIo = new ServoIoOptions { BusWatchdog20Ms = (byte)((c.BusWatchdogMs ?? 100) / 20), UseRealtimeScheduling = options.Realtime },
                Realtime = options.Realtime,
                ReplyTimeoutMs = c.ReplyTimeoutMs ?? 10,
                Retries = c.Retries ?? 2,
                Corridor = prepared.Corridor,
                Servos = scenario.Servos,
                Linac = scenario.Linac,
                Patient = scenario.Patient,
                Beam = rt is null ? null : new BeamGateOptions { PoseToleranceM = rt.PoseToleranceMm / 1000, PatientToleranceMm = rt.PatientToleranceMm },
                ExternalBroker = options.ExternalBroker,
                Users = options.Users,
                AuditPath = auditPath,
                Seed = scenario.Seed,
            },
            Unsafe = options.Unsafe,
        };
    }

    /// <summary>What a scenario resolves to before it runs: robot, corridor, beam poses.</summary>
    internal sealed record Prepared(RobotModel Robot, Corridor? Corridor, IReadOnlyList<(BeamPose Beam, Pose Pose, double Mu)> Beams);

    internal static Prepared Prepare(Scenario scenario, ScenarioRunOptions options, RobotModel? robot = null)
    {
        robot ??= RobotConfigJson.Load(scenario.RobotPath);
        Corridor? corridor = scenario.Corridor switch
        {
            null => null,
            { File: { } file } => CorridorJson.Load(file),
            { } around => SimulatedRig.CorridorAroundHome(robot, around.RadiusMm, around.BackMm, around.ForwardMm),
        };
        var beams = new List<(BeamPose, Pose, double)>();
        if (scenario.Radiotherapy is { } rt)
        {
            IReadOnlyList<BeamPose> plan = options.Beams ?? rt.Beams;
            if (plan.Count == 0)
            {
                throw new InvalidOperationException($"{scenario.Name}: the plan {rt.PlanPath} must be read by the caller (Hil cannot read DICOM): `metai hil run` does it; in code pass ScenarioRunOptions.Beams.");
            }

            var mapper = new BeamPoseMapper(rt.Rotation, rt.IsocenterRobotM, plan[0].IsocenterLps, rt.StandoffMm / 1000);
            foreach (BeamPose b in plan)
            {
                beams.Add((b, mapper.PoseOf(b), Math.Min(b.Mu, rt.MaxMuPerBeam ?? double.PositiveInfinity)));
            }
        }

        return new Prepared(robot, corridor, beams);
    }
}
