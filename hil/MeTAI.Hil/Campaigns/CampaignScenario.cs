using MeTAI.Core.Geometry;
using MeTAI.Hil.Mqtt;
using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;

namespace MeTAI.Hil.Campaigns;

/// <summary>
/// Draws one short randomized scenario from a seed: the arm following a random surgeon motion, one to three faults of
/// random kinds at random times with random parameters, and the safety assertions that must hold whatever happens — no
/// goal outside the joint limits, no goal jumps, the arm still while held or stopped, every Fault/EStop latched with
/// torque off — plus the reaction each fault demands when it is long enough to demand one. The same seed always
/// gives the same scenario (replay).
/// </summary>
public static class CampaignScenario
{
    /// <summary>
    /// Controller settings of campaign rigs: none overridden — the campaign proves the shipped defaults
    /// (<see cref="ControllerOptions"/>, the serial and bus-watchdog defaults of <see cref="Runner.ScenarioRunner"/>).
    /// </summary>
    public static ControllerSettings Controller { get; } = new();

    private static readonly ControllerOptions Shipped = new();

    private static readonly FaultKind[] Pool =
    [
        FaultKind.MqttLatency, FaultKind.MqttLoss, FaultKind.MqttDuplicate, FaultKind.BrokerRestart, FaultKind.ClientDisconnect,
        FaultKind.SerialCorrupt, FaultKind.SerialCorruptStorm, FaultKind.SerialDrop, FaultKind.SerialDelay, FaultKind.ServoSilent,
        FaultKind.BusSilent, FaultKind.StuckJoint, FaultKind.EncoderNoise, FaultKind.Overload, FaultKind.HeartbeatStop,
        FaultKind.PosesStop, FaultKind.DeadmanRelease, FaultKind.EStopPress, FaultKind.EStopMalformed, FaultKind.ServoFeedbackStale,
        FaultKind.BusCollision, FaultKind.BaudMismatch, FaultKind.EStopDeviceSilent, FaultKind.EStopCableCut, FaultKind.RelayFeedStopped,
        FaultKind.RelayStuckClosed,
    ];

    private static readonly ServoIoOptions ShippedIo = new();

    // How long after welding the relay's contacts the campaign's operator disables the arm: a weld is invisible while the
    // controller feeds the relay, so the run needs a stop to show whether the controller finds it.
    private const double WeldToDisableS = 0.05;

    /// <summary>The fault kinds a campaign draws from.</summary>
    public static IReadOnlyList<FaultKind> FaultKinds => Pool;

    /// <summary>The scenario of run seed <paramref name="seed"/>.</summary>
    public static Scenario Generate(int seed, string robotPath, int jointCount = 6)
    {
        var rng = new Random(seed);
        double duration = Math.Round(0.8 + 0.8 * rng.NextDouble(), 3);
        MotionSpec motion = rng.Next(3) switch
        {
            0 => new MotionSpec { Kind = "circle", RadiusM = 0.005 + 0.01 * rng.NextDouble(), PeriodS = 0.8 + rng.NextDouble() },
            1 => new MotionSpec { Kind = "sine", Vector = new Vec3(Sym(rng, 0.015), Sym(rng, 0.015), Sym(rng, 0.015)), PeriodS = 0.6 + rng.NextDouble() },
            _ => new MotionSpec { Kind = "line", Vector = new Vec3(Sym(rng, 0.02), Sym(rng, 0.02), Sym(rng, 0.02)), MaxDistanceM = 0.02 },
        };
        int count = 1 + rng.Next(3);
        var faults = new List<FaultSpec>();
        var assertions = new List<AssertionSpec>
        {
            new() { Id = "joint-limits", Kind = AssertionKind.JointLimits, Safety = true },
            new() { Id = "goal-steps", Kind = AssertionKind.GoalSteps, Safety = true },
            new() { Id = "still-while-held", Kind = AssertionKind.HoldStill, Safety = true, States = [SafetyState.Paused, SafetyState.Fault, SafetyState.EStop] },
            new() { Id = "latched-torque-off", Kind = AssertionKind.LatchedTorqueOff, Safety = true, BusWithinMs = 250 },
        };
        double watchdog = Controller.HeartbeatWatchdogMs ?? Shipped.HeartbeatWatchdogMs, servoTimeout = Controller.ServoTimeoutMs ?? Shipped.ServoTimeoutMs;
        double poseWatchdog = Controller.PoseWatchdogMs ?? Shipped.PoseWatchdogMs, estopWatchdog = Shipped.EStopWatchdogMs;
        // At most one fault per run demands a reaction (a later one is drawn again, up to 20 times, from what the dice give
        // until it demands none), and that one starts first: a controller already stopped by an earlier fault cannot show
        // its reaction to a second one, which would count as "not exercised" and prove nothing.
        FaultSpec? primary = null;
        for (int i = 0; i < count; i++)
        for (int attempt = 0; ; attempt++)
        {
            var mine = new List<AssertionSpec>();
            FaultKind kind = Pool[rng.Next(Pool.Length)];
            double at = Math.Round(0.15 + (duration - 0.45) * rng.NextDouble(), 3);
            double length = Math.Round(0.05 + 0.4 * rng.NextDouble(), 3);
            string id = $"f{i + 1}-{char.ToLowerInvariant(kind.ToString()[0])}{kind.ToString()[1..]}";
            int joint = rng.Next(jointCount);
            int faultCount = 1 + rng.Next(30);
            var f = new FaultSpec
            {
                Id = id,
                Kind = kind,
                AtS = at,
                DurationS = kind switch
                {
                    FaultKind.ClientDisconnect or FaultKind.SerialCorrupt or FaultKind.SerialDrop or FaultKind.EStopMalformed => 0,
                    // Always longer than what must happen before the reaction (the e-stop watchdog; the loop-alive bound plus
                    // T_relay; the disable plus the relay's trip): these faults are drawn to be exercised.
                    FaultKind.EStopDeviceSilent => Math.Round((estopWatchdog + 50) / 1000 + 0.15 * (length - 0.05) / 0.4, 3),
                    FaultKind.RelayFeedStopped => Math.Round((ShippedIo.LoopStallMs + ShippedIo.RelayOffMs + 30) / 1000 + 0.2 * (length - 0.05) / 0.4, 3),
                    // Welded contacts do not heal: the weld lasts past the end of the run (the rig is replaced after it).
                    FaultKind.RelayStuckClosed => duration,
                    _ => length,
                },
                // A baud-rate mismatch of the whole chain one time in three, else of one servo.
                Joint = kind == FaultKind.BaudMismatch && faultCount % 3 == 0 ? -1 : joint,
                Count = faultCount,
                Counts = 1 + rng.Next(4),
                Probability = RogueDuty(kind, Math.Round(0.05 + 0.6 * rng.NextDouble(), 3)),
                LatencyMs = Math.Round(1 + 40 * rng.NextDouble(), 1),
                JitterMs = Math.Round(10 * rng.NextDouble(), 1),
                DelayMs = Math.Round(1 + 15 * rng.NextDouble(), 1),
                Client = kind is FaultKind.ClientDisconnect or FaultKind.MqttLatency or FaultKind.MqttLoss or FaultKind.MqttDuplicate
                    ? (rng.Next(3) == 0 ? "controller" : "master1") : null,
                Direction = ProxyDirection.Both,
            };
            string? reaction = null;
            switch (kind)
            {
                case FaultKind.HeartbeatStop when f.DurationS * 1000 > watchdog + 20:
                    mine.Add(Reaction(f, [SafetyState.Paused], Interlocks.HapticHeartbeat, watchdog + 3, 2));
                    reaction = "hold";
                    break;
                case FaultKind.PosesStop when f.DurationS * 1000 > poseWatchdog + 20:
                    mine.Add(Reaction(f, [SafetyState.Paused], Interlocks.MasterPoseStale, poseWatchdog + 3, 2));
                    reaction = "hold";
                    break;
                case FaultKind.DeadmanRelease when f.DurationS > 0.05:
                    // The release travels in the poses: with them stopped or lost, the pose watchdog is what holds.
                    mine.Add(Reaction(f, [SafetyState.Paused], Interlocks.DeadmanReleased | Interlocks.MasterPoseStale, 250, 2));
                    reaction = "hold";
                    break;
                case FaultKind.BrokerRestart:
                    mine.Add(Reaction(f, [SafetyState.Paused], Interlocks.BrokerConnection, 500, null));
                    reaction = "hold";
                    break;
                case FaultKind.ServoSilent or FaultKind.BusSilent or FaultKind.SerialCorruptStorm or FaultKind.ServoFeedbackStale or FaultKind.BaudMismatch
                    when f.DurationS * 1000 > servoTimeout + 60:
                case FaultKind.BusCollision when f.Probability >= 1 && f.DurationS * 1000 > servoTimeout + 60:
                    mine.Add(Reaction(f, [SafetyState.Fault], Interlocks.ServoBus, servoTimeout + 5, 2));
                    reaction = "fault";
                    break;
                case FaultKind.Overload:
                    mine.Add(Reaction(f, [SafetyState.Fault], Interlocks.ServoHardwareError, 1000, 2));
                    reaction = "fault";
                    break;
                case FaultKind.EStopDeviceSilent:
                    // From the last heartbeat that reached the controller: the watchdog + 2 cycles + margin.
                    mine.Add(Reaction(f, [SafetyState.EStop], Interlocks.EStopDeviceSilent, estopWatchdog + 5, 2));
                    reaction = "estop";
                    break;
                case FaultKind.EStopCableCut:
                    // Power is cut by the loop itself; the controller reads the loop every RelayFeedMs — behind at most one
                    // servo read in flight (10 ms reply timeout: reads are not retried past the read-back's due time, so
                    // servos that answer no read cannot hold it up by 30 ms, seed 56551805) — then reacts next cycle.
                    mine.Add(Reaction(f, [SafetyState.EStop], Interlocks.EStop, ShippedIo.RelayFeedMs + 20, 2));
                    reaction = "estop";
                    break;
                case FaultKind.RelayFeedStopped:
                    // The loop itself is stalled: it reacts in its first cycle after the stall, power having read off meanwhile.
                    mine.Add(Reaction(f, [SafetyState.Fault], Interlocks.ServoPower, f.DurationS * 1000 + ShippedIo.RelayFeedMs + 20, 2));
                    reaction = "fault";
                    break;
                case FaultKind.RelayStuckClosed:
                    // Timed from the relay's last feed (the controller's stop after the weld: the disable below, or an
                    // EStop or Fault for another cause, which is latched already and outranks it): the board trips after its
                    // watchdog (< T_relay), the read-back sees power on with a trip within a feed period, the next cycle
                    // raises ServoPower (Fault, or EStop kept).
                    mine.Add(Reaction(f, [SafetyState.Fault], Interlocks.ServoPower, 2 * ShippedIo.RelayOffMs + 2 * ShippedIo.RelayFeedMs + 10, 2));
                    reaction = "fault";
                    break;
                case FaultKind.EStopPress:
                case FaultKind.EStopMalformed:
                    mine.Add(new AssertionSpec { Id = id + "-torque-off", Kind = AssertionKind.TorqueOff, Safety = true, Fault = id, WithinCycles = 2, BusWithinMs = 50 });
                    reaction = "estop";
                    break;
                default:
                    break;
            }

            _ = reaction;
            if (mine.Count > 0 && primary is not null && attempt < 20)
            {
                continue;
            }

            faults.Add(f);
            assertions.AddRange(mine);
            primary ??= mine.Count > 0 ? f : null;
            break;
        }

        if (primary is not null && faults.MinBy(f => f.AtS) is { } earliest && earliest != primary)
        {
            int pi = faults.IndexOf(primary), ei = faults.IndexOf(earliest);
            faults[pi] = primary with { AtS = earliest.AtS };
            faults[ei] = earliest with { AtS = primary.AtS };
            primary = faults[pi];
        }

        // Welded contacts show only at a stop: the operator disables the arm shortly after the weld.
        List<TimelineStep> timeline = primary is { Kind: FaultKind.RelayStuckClosed } weld
            ? [new TimelineStep { AtS = Math.Round(weld.AtS + WeldToDisableS, 3), Kind = StepKind.Command, Command = ControllerCommandKind.Disable }]
            : [];


        // A servo reports an overload only in its status replies. When a corruption storm, a bus cut or that servo's
        // silence covers all but a sliver of the overload, no status reply could carry it before it cleared: the
        // controller cannot know, and no reaction is demanded (the servo dropped its own torque meanwhile).
        foreach (FaultSpec o in faults.Where(f => f.Kind == FaultKind.Overload))
        {
            var blind = faults.Where(d => d.Kind is FaultKind.SerialCorruptStorm or FaultKind.BusSilent or FaultKind.ServoFeedbackStale
                    || (d.Kind == FaultKind.BusCollision && d.Probability >= 1)
                    || (d.Kind is FaultKind.ServoSilent or FaultKind.BaudMismatch && (d.Joint == o.Joint || d.Joint < 0)))
                .Select(d => (From: d.AtS, To: d.AtS + d.DurationS)).ToList();
            if (ClearSeconds(o.AtS, o.AtS + o.DurationS, blind) < MinOverloadVisibleS)
            {
                assertions.RemoveAll(a => a.Id == o.Id + "-reaction");
            }
        }

        return new Scenario
        {
            Name = $"campaign-{seed}",
            Description = $"Randomized run (seed {seed}): {count} fault(s) while following a {motion.Kind} motion.",
            Source = $"campaign seed {seed}",
            Seed = seed,
            DurationS = duration,
            Start = ScenarioStart.Following,
            RobotPath = robotPath,
            Controller = Controller,
            MasterMotion = motion,
            Timeline = timeline,
            Faults = faults,
            Assertions = assertions,
        };
    }

    // How long an overload must be readable (no storm, cut or silence of its servo) for its reaction to be demanded: a
    // few status polls, and a read's retries after a corrupted reply.
    private const double MinOverloadVisibleS = 0.1;

    // Seconds of [from, to] not covered by any of the blind intervals.
    private static double ClearSeconds(double from, double to, IReadOnlyList<(double From, double To)> blind)
    {
        double clear = 0, at = from;
        foreach ((double a, double b) in blind.Where(x => x.To > from && x.From < to).OrderBy(x => x.From))
        {
            clear += Math.Max(0, Math.Min(a, to) - at);
            at = Math.Max(at, b);
        }

        return clear + Math.Max(0, to - at);
    }

    // A rogue talker on the servo wire: babbling all the time (the controller must fault) for draws above 0.35, else for
    // that share of the time (some transactions get through: it may or may not fault, and must stay safe either way).
    private static double RogueDuty(FaultKind kind, double drawn) => kind != FaultKind.BusCollision ? drawn : drawn > 0.35 ? 1.0 : drawn;

    private static double Sym(Random rng, double amplitude) => Math.Round(amplitude * (2 * rng.NextDouble() - 1), 4);

    private static AssertionSpec Reaction(FaultSpec f, IReadOnlyList<SafetyState> states, Interlocks interlock, double withinMs, int? cycles) => new()
    {
        Id = f.Id + "-reaction",
        Kind = AssertionKind.Reaction,
        Safety = true,
        Fault = f.Id,
        States = [.. states.Union([SafetyState.Fault, SafetyState.EStop])],
        Interlock = interlock,
        WithinMs = withinMs,
        WithinCycles = cycles,
        AllowPreemption = true,
    };
}
