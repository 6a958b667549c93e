using MeTAI.Core.Geometry;
using MeTAI.Hil.Mqtt;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;
using MeTAI.Simulation;

namespace MeTAI.Hil.Scenarios;

/// <summary>
/// Reads scenario files (docs/hil.md has the schema). Every error names the file, the line and column, and the field
/// (<c>configs/hil/x.yaml:12:9: 'faults[1].kind': 'heartbeatStp' is not one of: …</c>); unknown fields are rejected,
/// references (an assertion's fault, files) are checked.
/// </summary>
public static class ScenarioFile
{
    /// <summary>Reads and validates a scenario file.</summary>
    public static Scenario Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ScenarioFormatException(path, 0, 0, "", "file not found");
        }

        return Parse(File.ReadAllText(full), full);
    }

    /// <summary>Parses scenario text; <paramref name="source"/> names it in errors and anchors relative paths.</summary>
    public static Scenario Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(source)) ?? ".";
        YamlMap root = YamlMap.Parse(yaml, source);
        string robot = ResolveFile(root, "robot", root.String("robot") ?? "../robots/metai-arm6.json", baseDir);
        YamlMap? devices = root.Map("devices");
        var faults = root.List("faults").Select(Fault).ToList();
        var duplicate = faults.GroupBy(f => f.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw root.Error("faults", $"fault id '{duplicate.Key}' is used twice");
        }

        var scenario = new Scenario
        {
            Name = root.String("name", required: true)!,
            Description = root.String("description") ?? "",
            Source = source,
            Seed = root.Integer("seed") ?? 1,
            DurationS = root.Number("duration", 0.1, 600, required: true)!.Value,
            Start = root.Enum<ScenarioStart>("start") ?? ScenarioStart.Following,
            RobotPath = robot,
            Controller = Controller(root.Map("controller")),
            Servos = Servos(devices?.Map("servos")),
            Corridor = Corridor(devices?.Map("corridor"), baseDir),
            MasterMotion = devices?.Map("master") is { } master ? MasterDevice(master, baseDir) : null,
            Linac = devices?.Map("linac") is { } linac ? Linac(linac) : null,
            Patient = devices?.Map("patient") is { } patient ? Patient(patient) : null,
            Radiotherapy = root.Map("radiotherapy") is { } rt ? Radiotherapy(rt, baseDir) : null,
            Timeline = [.. root.List("timeline").Select(s => Step(s, baseDir)).OrderBy(s => s.AtS)],
            Faults = faults,
        };
        var ids = faults.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<YamlMap> assertionNodes = root.List("assertions");
        var assertions = assertionNodes.Select((a, i) => Assertion(a, i, ids)).ToList();
        devices?.RejectUnknownKeys();
        root.RejectUnknownKeys();
        if (assertions.Count == 0)
        {
            throw root.Error("assertions", "a scenario needs at least one assertion");
        }

        if (scenario.Timeline.Any(s => s.Kind == StepKind.DeliverPlan) && scenario.Radiotherapy is null)
        {
            throw root.Error("timeline", "deliverPlan needs a 'radiotherapy' section");
        }

        if (scenario.Radiotherapy is null && faults.FirstOrDefault(f => f.AfterBeamOnS is not null) is { } beamFault)
        {
            throw root.Error("faults", $"fault '{beamFault.Id}' starts afterBeamOn, but the scenario has no 'radiotherapy' section (no beam ever comes on)");
        }

        if (scenario.Radiotherapy is not null && (scenario.Linac is null || scenario.Patient is null))
        {
            throw root.Error("radiotherapy", "radiotherapy needs devices.linac and devices.patient");
        }

        return scenario with { Assertions = assertions };
    }

    private static string ResolveFile(YamlMap map, string key, string value, string baseDir)
    {
        string path = Path.GetFullPath(Path.IsPathRooted(value) ? value : Path.Combine(baseDir, value));
        return File.Exists(path) ? path : throw map.Error(key, $"file '{value}' not found (looked for {path})");
    }

    private static ControllerSettings Controller(YamlMap? m)
    {
        if (m is null)
        {
            return new ControllerSettings();
        }

        var c = new ControllerSettings
        {
            HeartbeatWatchdogMs = m.Number("heartbeatWatchdogMs", 1, 10_000),
            PoseWatchdogMs = m.Number("poseWatchdogMs", 1, 10_000),
            ServoTimeoutMs = m.Number("servoTimeoutMs", 1, 10_000),
            TrackingLagMs = m.Number("trackingLagMs", 0, 10_000),
            ReplyTimeoutMs = m.Integer("replyTimeoutMs", 1, 5000),
            Retries = m.Integer("retries", 0, 10),
            BusWatchdogMs = m.Integer("busWatchdogMs", 20, 2540),
        };
        m.RejectUnknownKeys();
        return c;
    }

    private static ServoSettings Servos(YamlMap? m)
    {
        if (m is null)
        {
            return new ServoSettings();
        }

        var s = new ServoSettings
        {
            TimeConstantMs = m.Number("timeConstantMs", 0.1, 1000) ?? 15,
            AccelerationRadS2 = m.Number("accelerationRadS2", 0, 10_000) ?? 40,
            EncoderNoiseCounts = m.Integer("encoderNoiseCounts", 0, 100) ?? 0,
        };
        m.RejectUnknownKeys();
        return s;
    }

    private static CorridorSpec? Corridor(YamlMap? m, string baseDir)
    {
        if (m is null)
        {
            return null;
        }

        string? file = m.String("file");
        var c = new CorridorSpec
        {
            File = file is null ? null : ResolveFile(m, "file", file, baseDir),
            RadiusMm = m.Number("radiusMm", 0.1, 1000) ?? 5,
            BackMm = m.Number("backMm", 0, 1000) ?? 20,
            ForwardMm = m.Number("forwardMm", 0, 1000) ?? 60,
        };
        m.RejectUnknownKeys();
        return c;
    }

    private static MotionSpec MasterDevice(YamlMap m, string baseDir)
    {
        MotionSpec motion = Motion(m.Map("motion", required: true)!, baseDir);
        m.RejectUnknownKeys();
        return motion;
    }

    private static readonly string[] MotionKinds = ["hold", "line", "ramp", "circle", "sine", "file"];

    private static MotionSpec Motion(YamlMap m, string baseDir)
    {
        string kind = m.String("kind", required: true)!;
        if (!MotionKinds.Contains(kind))
        {
            throw m.Error("kind", $"'{kind}' is not one of: {string.Join(", ", MotionKinds)}");
        }

        double[]? v = kind switch
        {
            "line" => m.Numbers("velocityMps", 3) ?? throw m.Error("a line needs velocityMps: [x, y, z]"),
            "ramp" => m.Numbers("toM", 3) ?? throw m.Error("a ramp needs toM: [x, y, z]"),
            "sine" => m.Numbers("amplitudeM", 3) ?? throw m.Error("a sine needs amplitudeM: [x, y, z]"),
            _ => null,
        };
        string? file = kind == "file" ? m.String("file", required: true) : null;
        var spec = new MotionSpec
        {
            Kind = kind,
            Vector = v is null ? Vec3.Zero : new Vec3(v[0], v[1], v[2]),
            RadiusM = m.Number("radiusM", 0, 1) ?? 0.01,
            PeriodS = m.Number("periodS", 0.01, 1000) ?? 2,
            DurationS = m.Number("durationS", 0.01, 1000) ?? 1,
            MaxDistanceM = m.Number("maxDistanceM", 0, 10) ?? double.PositiveInfinity,
            File = file is null ? null : ResolveFile(m, "file", file, baseDir),
        };
        m.RejectUnknownKeys();
        if (spec.File is not null)
        {
            try
            {
                _ = Simulation.Haptics.MasterMotion.FromCsv(spec.File);
            }
            catch (FormatException ex)
            {
                throw m.Error("file", ex.Message);
            }
        }

        return spec;
    }

    private static LinacSettings Linac(YamlMap m)
    {
        var l = new LinacSettings
        {
            DoseRateMuPerMin = m.Number("doseRateMuPerMin", 1, 1_000_000) ?? 600,
            PermitTimeoutMs = m.Number("permitTimeoutMs", 10, 10_000) ?? 150,
        };
        m.RejectUnknownKeys();
        return l;
    }

    private static PatientSettings Patient(YamlMap m)
    {
        double[]? axis = m.Numbers("axis", 3);
        var p = new PatientSettings
        {
            AmplitudeMm = m.Number("amplitudeMm", 0, 100) ?? 1.5,
            PeriodS = m.Number("periodS", 0.1, 100) ?? 4,
            Axis = axis is null ? new Vec3(0, 0, 1) : new Vec3(axis[0], axis[1], axis[2]),
            RateHz = m.Number("rateHz", 1, 1000) ?? 50,
        };
        m.RejectUnknownKeys();
        return p;
    }

    private static RadiotherapySettings Radiotherapy(YamlMap m, string baseDir)
    {
        string? plan = m.String("plan");
        double[]? iso = m.Numbers("isocenterRobotM", 3) ?? throw m.Error("required field 'isocenterRobotM' is missing");
        double[]? rows = m.Numbers("rotation", 9);
        var rotation = rows is null ? Mat3.Identity : new Mat3(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7], rows[8]);
        if (!rotation.IsRotation(1e-6))
        {
            throw m.Error("rotation", "must be a proper rotation (9 numbers, row by row: robot x, y, z in patient LPS)");
        }

        var beams = m.List("beams").Select(b =>
        {
            double[] isoLps = b.Numbers("isocenterLps", 3) ?? throw b.Error("required field 'isocenterLps' is missing");
            var beam = new BeamPose(b.Integer("number", 1, 9999, required: true)!.Value, b.String("name") ?? "",
                b.Number("gantryDeg", -360, 360) ?? 0, b.Number("collimatorDeg", -360, 360) ?? 0, b.Number("couchDeg", -360, 360) ?? 0,
                new Vec3(isoLps[0], isoLps[1], isoLps[2]), b.Number("mu", 0.01, 100_000, required: true)!.Value);
            b.RejectUnknownKeys();
            return beam;
        }).ToList();
        var rt = new RadiotherapySettings
        {
            PlanPath = plan is null ? null : ResolveFile(m, "plan", plan, baseDir),
            Beams = beams,
            IsocenterRobotM = new Vec3(iso[0], iso[1], iso[2]),
            Rotation = rotation,
            StandoffMm = m.Number("standoffMm", 0, 1000) ?? 60,
            PoseToleranceMm = m.Number("poseToleranceMm", 0.01, 100) ?? 1,
            PatientToleranceMm = m.Number("patientToleranceMm", 0.01, 100) ?? 3,
            MaxMuPerBeam = m.Number("maxMuPerBeam", 0.01, 100_000),
        };
        m.RejectUnknownKeys();
        if (rt.PlanPath is null && rt.Beams.Count == 0)
        {
            throw m.Error("give a 'plan' (RTPLAN file) or a list of 'beams'");
        }

        return rt;
    }

    private static readonly string[] StepActions = ["command", "master", "clutch", "deadman", "estop", "waitFor", "deliverPlan"];

    private static TimelineStep Step(YamlMap m, string baseDir)
    {
        double at = m.Number("at", 0, 600, required: true)!.Value;
        string[] actions = [.. m.Keys.Where(k => StepActions.Contains(k))];
        if (actions.Length != 1)
        {
            throw m.Error($"a timeline step needs exactly one action of: {string.Join(", ", StepActions)}");
        }

        TimelineStep step = actions[0] switch
        {
            "command" => new TimelineStep
            {
                AtS = at,
                Kind = StepKind.Command,
                Command = m.Enum<ControllerCommandKind>("command")!.Value,
                JointRad = m.Numbers("jointRad"),
                Pressed = m.Bool("acknowledge") ?? false,
            },
            "master" => new TimelineStep { AtS = at, Kind = StepKind.Master, Motion = Motion(m.Map("master")!, baseDir) },
            "clutch" => new TimelineStep { AtS = at, Kind = StepKind.Clutch, Pressed = Pressed(m, "clutch", "press", "release") },
            "deadman" => new TimelineStep { AtS = at, Kind = StepKind.Deadman, Pressed = Pressed(m, "deadman", "hold", "release") },
            "estop" => new TimelineStep { AtS = at, Kind = StepKind.EStop, Pressed = Pressed(m, "estop", "press", "release") },
            "waitFor" => WaitFor(m, at),
            _ => new TimelineStep { AtS = at, Kind = StepKind.DeliverPlan, Pressed = m.Bool("deliverPlan") ?? true },
        };
        m.RejectUnknownKeys();
        if (step.Kind == StepKind.Command && step.Command == ControllerCommandKind.MoveJoints && step.JointRad is null)
        {
            throw m.Error("command", "moveJoints needs jointRad: [...]");
        }

        return step;
    }

    private static TimelineStep WaitFor(YamlMap m, double at)
    {
        YamlMap w = m.Map("waitFor")!;
        var states = States(w, "state") ?? throw w.Error("waitFor needs state: or a list of states");
        var step = new TimelineStep { AtS = at, Kind = StepKind.WaitFor, States = states, TimeoutS = w.Number("timeoutS", 0.1, 600) ?? 5 };
        w.RejectUnknownKeys();
        return step;
    }

    private static bool Pressed(YamlMap m, string key, string on, string off)
    {
        string v = m.String(key)!;
        return v == on || (v != off ? throw m.Error(key, $"'{v}' must be {on} or {off}") : false);
    }

    private static List<SafetyState>? States(YamlMap m, string key)
    {
        IReadOnlyList<string>? names = m.Strings(key) ?? m.Strings(key + "s");
        if (names is null)
        {
            return null;
        }

        return [.. names.Select(n => Enum.TryParse(n, true, out SafetyState s) ? s
            : throw m.Error(key, $"'{n}' is not a state (one of: {string.Join(", ", Enum.GetNames<SafetyState>())})"))];
    }

    private static FaultSpec Fault(YamlMap m, int index)
    {
        FaultKind kind = m.Enum<FaultKind>("kind", required: true)!.Value;
        double[]? mm = m.Numbers("mm", 3);
        string? direction = m.String("direction");
        var f = new FaultSpec
        {
            Id = m.String("id") ?? $"{YamlMap.Camel(kind.ToString())}{index + 1}",
            Kind = kind,
            AtS = m.Number("at", 0, 600, required: !m.Has("afterBeamOn")) ?? 0,
            AfterBeamOnS = m.Number("afterBeamOn", 0, 600),
            DurationS = m.Number("duration", 0, 600) ?? 0,
            Joint = m.Integer("joint", 1, 12) is int j ? j - 1 : -1,
            Count = m.Integer("count", 1, 1_000_000) ?? 1,
            Counts = m.Integer("counts", 0, 1000) ?? 2,
            Probability = m.Number("probability", 0, 1) ?? 0,
            LatencyMs = m.Number("latencyMs", 0, 60_000) ?? 0,
            JitterMs = m.Number("jitterMs", 0, 60_000) ?? 0,
            DelayMs = m.Number("delayMs", 0, 10_000) ?? 0,
            Client = m.String("client"),
            Topic = m.String("topic"),
            Direction = direction switch
            {
                null or "both" => ProxyDirection.Both,
                "toBroker" => ProxyDirection.ToBroker,
                "toClient" => ProxyDirection.ToClient,
                _ => throw m.Error("direction", $"'{direction}' is not one of: both, toBroker, toClient"),
            },
            Mm = mm is null ? Vec3.Zero : new Vec3(mm[0], mm[1], mm[2]),
        };
        m.RejectUnknownKeys();
        if (m.Has("at") && m.Has("afterBeamOn"))
        {
            throw m.Error("afterBeamOn", "give 'at' (scenario seconds) or 'afterBeamOn' (seconds after the first beam-on), not both");
        }

        bool needsJoint = kind is FaultKind.ServoSilent or FaultKind.StuckJoint or FaultKind.Overload;
        if (needsJoint && f.Joint < 0)
        {
            throw m.Error($"{YamlMap.Camel(kind.ToString())} needs joint: (1-based joint number)");
        }

        if (kind is FaultKind.BrokerRestart or FaultKind.SerialCorruptStorm or FaultKind.SerialDelay && f.DurationS <= 0)
        {
            throw m.Error($"{YamlMap.Camel(kind.ToString())} needs duration: (s)");
        }

        if (kind is FaultKind.BusCollision or FaultKind.BaudMismatch or FaultKind.RelayFeedStopped && f.DurationS <= 0)
        {
            throw m.Error($"{YamlMap.Camel(kind.ToString())} needs duration: (s)");
        }

        if (kind == FaultKind.BusCollision && f.Probability <= 0)
        {
            throw m.Error("busCollision needs probability: (the share of the time the rogue device transmits, above 0, 1 for all the time)");
        }

        if (kind == FaultKind.PatientSpike && mm is null)
        {
            throw m.Error("patientSpike needs mm: [x, y, z] (patient LPS mm)");
        }

        return f;
    }

    private static AssertionSpec Assertion(YamlMap m, int index, HashSet<string> faultIds)
    {
        AssertionKind kind = m.Enum<AssertionKind>("kind", required: true)!.Value;
        string? fault = m.String("fault");
        if (fault is not null && !faultIds.Contains(fault))
        {
            throw m.Error("fault", $"no fault with id '{fault}' (faults: {string.Join(", ", faultIds)})");
        }

        string? interlock = m.String("interlock");
        var a = new AssertionSpec
        {
            Id = m.String("id") ?? $"{YamlMap.Camel(kind.ToString())}{index + 1}",
            Kind = kind,
            Safety = m.Bool("safety") ?? AssertionSpec.IsSafetyKind(kind),
            Description = m.String("description") ?? "",
            Fault = fault,
            States = States(m, "state") ?? [],
            Interlock = interlock is null ? null : Enum.TryParse(interlock, true, out Interlocks il) && il != Interlocks.None
                ? il : throw m.Error("interlock", $"'{interlock}' is not an interlock (one of: {string.Join(", ", Enum.GetNames<Interlocks>().Skip(1))})"),
            WithinMs = m.Number("withinMs", 0, 600_000),
            WithinCycles = m.Integer("withinCycles", 0, 1_000_000),
            BusWithinMs = m.Number("busWithinMs", 0, 600_000),
            ToleranceMm = m.Number("toleranceMm", 0, 1000) ?? 0,
            ToleranceDeg = m.Number("toleranceDeg", 0, 180) ?? 1,
            GraceMs = m.Number("graceMs", 0, 60_000) ?? 150,
            GraceFrames = m.Integer("graceFrames", 0, 1000) ?? 3,
            MarginRad = m.Number("marginRad", 0, 10) ?? 0,
            MarginRadS = m.Number("marginRadS", 0, 100) ?? 0.3,
            StationaryRadS = m.Number("stationaryRadS", 0, 100) ?? 0.1,
            PatientToleranceMm = m.Number("patientToleranceMm", 0, 1000) ?? 3,
            MinN = m.Number("minN", 0, 1000) ?? 0.1,
            P99Ms = m.Number("p99Ms", 0, 60_000) ?? 50,
            AtS = m.Number("atS", 0, 600) ?? 0,
            MuTolerance = m.Number("muTolerance", 0, 1000) ?? 0.5,
            Min = m.Integer("min", 0, int.MaxValue) ?? 1,
            ExceptDuringFaults = m.Bool("exceptDuringFaults") ?? true,
            Resumes = m.Bool("resumes") ?? true,
            AllowPreemption = m.Bool("allowPreemption") ?? false,
        };
        m.RejectUnknownKeys();
        void Need(bool ok, string what)
        {
            if (!ok)
            {
                throw m.Error($"{YamlMap.Camel(kind.ToString())} needs {what}");
            }
        }

        switch (kind)
        {
            case AssertionKind.Reaction:
                Need(a.Fault is not null && a.States.Count > 0, "fault: and state: (or states:)");
                break;
            case AssertionKind.TorqueOff:
            case AssertionKind.BeamHold:
                Need(a.Fault is not null, "fault:");
                break;
            case AssertionKind.NeverState:
            case AssertionKind.FinalState:
                Need(a.States.Count > 0, "state: (or states:)");
                break;
            case AssertionKind.StateAt:
                Need(a.States.Count > 0 && m.Has("atS"), "atS: and state: (or states:)");
                break;
            case AssertionKind.InterlockRaised:
                Need(a.Interlock is not null, "interlock:");
                break;
            case AssertionKind.HoldStill:
                a = a.States.Count > 0 ? a : a with { States = [SafetyState.Paused, SafetyState.Clutched] };
                break;
            default:
                break;
        }

        return a;
    }
}
