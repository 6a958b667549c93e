using System.Globalization;
using System.Text;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Core.Json;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Traces;
using MeTAI.Simulation.Devices;

namespace MeTAI.Hil.Reports;

/// <summary>
/// Writes one run's artefacts into its folder: <c>trace.csv</c> (rig samples), <c>events.csv</c> (transitions,
/// interlocks, faults, stimuli, beam permits), <c>beam-on.csv</c>/<c>beam-on.json</c> (every beam-on interval with its
/// planned and measured pose), PNG plots, and the audit log (already there: the controller wrote it).
/// </summary>
public static class ScenarioArtefacts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the artefacts and returns the result with their paths.</summary>
    public static ScenarioResult Write(ScenarioResult result, string dir, bool plots)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        HilTrace t = result.Trace ?? throw new ArgumentException("The result has no trace.", nameof(result));
        Directory.CreateDirectory(dir);
        var artefacts = new List<string> { WriteTrace(t, Path.Combine(dir, "trace.csv")), WriteEvents(t, Path.Combine(dir, "events.csv")) };
        if (t.BeamPoses.Count > 0)
        {
            artefacts.AddRange(WriteBeams(t, dir));
        }

        string audit = Path.Combine(dir, "audit.jsonl");
        if (File.Exists(audit))
        {
            artefacts.Add(audit);
        }

        var pngs = new List<string>();
        if (plots)
        {
            string name = result.Scenario.Name;
            pngs.Add(Plot(() => HilPlots.Joints(t, Path.Combine(dir, "joints.png"), $"{name}: joints"), Path.Combine(dir, "joints.png")));
            pngs.Add(Plot(() => HilPlots.States(t, Path.Combine(dir, "states.png"), $"{name}: controller state"), Path.Combine(dir, "states.png")));
            pngs.Add(Plot(() => HilPlots.Latency(t, Path.Combine(dir, "latency.png"), $"{name}: haptic → servo latency"), Path.Combine(dir, "latency.png")));
            if (t.BeamPoses.Count > 0)
            {
                pngs.Add(Plot(() => HilPlots.Beam(t, Path.Combine(dir, "beam.png"), $"{name}: beam"), Path.Combine(dir, "beam.png")));
            }
        }

        return new ScenarioResult
        {
            Scenario = result.Scenario,
            Error = result.Error,
            WallSeconds = result.WallSeconds,
            Assertions = result.Assertions,
            FaultsInjected = result.FaultsInjected,
            Trace = result.Trace,
            ReportDirectory = dir,
            Plots = pngs,
            Artefacts = artefacts,
            SetupAttempts = result.SetupAttempts,
            UnsafeOptions = result.UnsafeOptions,
        };
    }

    private static string Plot(Action draw, string path)
    {
        draw();
        return path;
    }

    private static string WriteTrace(HilTrace t, string path)
    {
        int n = t.Robot.JointCount;
        var sb = new StringBuilder();
        sb.Append("t_s,cycle,state,interlocks");
        for (int j = 1; j <= n; j++)
        {
            sb.Append(Inv, $",q{j}_cmd_rad,q{j}_meas_rad,q{j}_true_rad");
        }

        sb.Append(",tool_x_m,tool_y_m,tool_z_m,master_x_m,master_y_m,master_z_m,patient_mm,beam_on,torque_mask\n");
        foreach (TraceSample s in t.Samples)
        {
            sb.Append(Inv, $"{t.Seconds(s.Ticks):F4},{s.Cycle},{s.State},\"{s.Interlocks}\"");
            for (int j = 0; j < n; j++)
            {
                sb.Append(Inv, $",{s.CommandRad[j]:F5},{s.MeasuredRad[j]:F5},{s.TrueRad[j]:F5}");
            }

            sb.Append(Inv, $",{s.ToolTrueM.X:F5},{s.ToolTrueM.Y:F5},{s.ToolTrueM.Z:F5},{s.MasterM.X:F5},{s.MasterM.Y:F5},{s.MasterM.Z:F5},{s.PatientMm.Length:F3},{(s.BeamOn ? 1 : 0)},{s.TorqueMask}\n");
        }

        AtomicFile.WriteAllText(path, sb.ToString());
        return path;
    }

    private static string WriteEvents(HilTrace t, string path)
    {
        var rows = new List<(double T, string Kind, string Text)>();
        foreach (StateTransition x in t.Transitions)
        {
            rows.Add((t.Seconds(x.CycleTicks), "transition", $"{x.From} → {x.To} ({x.Trigger}; interlocks {x.Interlocks}; cycle {x.Cycle})"));
        }

        foreach (InterlockRaise r in t.Raises)
        {
            rows.Add((t.Seconds(r.CycleTicks), "interlock", $"{r.Interlock} raised in cycle {r.Cycle}"));
        }

        foreach (Robotics.Audit.AuditEvent e in t.Audit.Where(e => e.Kind is "beamPermit" or "linacBeam" or "command" or "unsafeTestOptions" or "moveToPoseUnreachable"))
        {
            rows.Add((t.Seconds(e.MonotonicTicks), e.Kind, string.Join("; ", e.Fields.Select(f => f.Key + "=" + f.Value))));
        }

        foreach (FaultRecord f in t.Faults)
        {
            rows.Add((t.Seconds(f.StartTicks), "fault", f.Id + ": " + f.Description + (f.EndTicks == 0 ? "" : string.Create(Inv, $" (until {t.Seconds(f.EndTicks):F3} s)"))));
        }

        foreach (StimulusRecord s in t.Stimuli)
        {
            rows.Add((t.Seconds(s.Ticks), "stimulus", s.Description));
        }

        var sb = new StringBuilder("t_s,kind,detail\n");
        foreach ((double time, string kind, string text) in rows.OrderBy(r => r.T))
        {
            sb.Append(Inv, $"{time:F4},{kind},\"{text.Replace("\"", "'", StringComparison.Ordinal)}\"\n");
        }

        AtomicFile.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>Every beam-on interval with its planned pose and the measured (true) tool pose when it began.</summary>
    public static IReadOnlyList<BeamOnRecord> BeamOnRecords(HilTrace t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var list = new List<BeamOnRecord>();
        foreach (BeamInterval b in t.Beams)
        {
            t.BeamPoses.TryGetValue(b.Beam, out Pose planned);
            TraceSample? at = t.Samples.FirstOrDefault(s => s.Ticks >= b.StartTicks);
            Pose tool = at is null ? default : t.Robot.ForwardKinematics(at.TrueRad);
            long end = b.EndTicks == 0 ? t.EndTicks : b.EndTicks;
            list.Add(new BeamOnRecord(b.Beam, t.Seconds(b.StartTicks), t.Seconds(end), HilTrace.Ms(b.StartTicks, end), b.Mu, b.EndReason,
                planned.Position, planned.Orientation, tool.Position, (tool.Position - planned.Position).Length * 1000,
                Quat.AngleBetween(tool.Orientation, planned.Orientation) * 180 / Math.PI, at is null ? "" : t.StateAt(at.Ticks).ToString()));
        }

        return list;
    }

    private static IEnumerable<string> WriteBeams(HilTrace t, string dir)
    {
        IReadOnlyList<BeamOnRecord> records = BeamOnRecords(t);
        var sb = new StringBuilder("beam,start_s,end_s,duration_ms,mu,end_reason,planned_x_m,planned_y_m,planned_z_m,planned_qw,planned_qx,planned_qy,planned_qz,tool_x_m,tool_y_m,tool_z_m,pose_error_mm,orientation_error_deg,state_at_start\n");
        foreach (BeamOnRecord r in records)
        {
            sb.Append(Inv, $"{r.Beam},{r.StartS:F4},{r.EndS:F4},{r.DurationMs:F1},{r.Mu:F3},{r.EndReason},{r.PlannedM.X:F5},{r.PlannedM.Y:F5},{r.PlannedM.Z:F5},{r.PlannedOrientation.W:F6},{r.PlannedOrientation.X:F6},{r.PlannedOrientation.Y:F6},{r.PlannedOrientation.Z:F6},{r.ToolM.X:F5},{r.ToolM.Y:F5},{r.ToolM.Z:F5},{r.PoseErrorMm:F3},{r.OrientationErrorDeg:F3},{r.StateAtStart}\n");
        }

        string csv = Path.Combine(dir, "beam-on.csv");
        AtomicFile.WriteAllText(csv, sb.ToString());
        string json = Path.Combine(dir, "beam-on.json");
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(records.Select(r => new
        {
            beam = r.Beam,
            startS = Math.Round(r.StartS, 4),
            endS = Math.Round(r.EndS, 4),
            durationMs = Math.Round(r.DurationMs, 1),
            mu = Math.Round(r.Mu, 3),
            endReason = r.EndReason,
            plannedPositionM = new[] { r.PlannedM.X, r.PlannedM.Y, r.PlannedM.Z },
            plannedOrientationWxyz = new[] { r.PlannedOrientation.W, r.PlannedOrientation.X, r.PlannedOrientation.Y, r.PlannedOrientation.Z },
            toolPositionM = new[] { r.ToolM.X, r.ToolM.Y, r.ToolM.Z },
            poseErrorMm = Math.Round(r.PoseErrorMm, 3),
            orientationErrorDeg = Math.Round(r.OrientationErrorDeg, 3),
            stateAtStart = r.StateAtStart,
        }), JsonDefaults.Indented));
        return [csv, json];
    }
}

/// <summary>One beam-on interval with its pose (the RT delivery log).</summary>
/// <param name="Beam">Beam number.</param>
/// <param name="StartS">Start (scenario s).</param>
/// <param name="EndS">End (scenario s).</param>
/// <param name="DurationMs">Length (ms).</param>
/// <param name="Mu">MU delivered in it.</param>
/// <param name="EndReason">Why it ended.</param>
/// <param name="PlannedM">Planned beam-device position (robot base, m).</param>
/// <param name="PlannedOrientation">Planned orientation.</param>
/// <param name="ToolM">True tool position when the beam came on (m).</param>
/// <param name="PoseErrorMm">Distance to the planned position (mm).</param>
/// <param name="OrientationErrorDeg">Angle to the planned orientation (°).</param>
/// <param name="StateAtStart">Controller state when the beam came on.</param>
public sealed record BeamOnRecord(int Beam, double StartS, double EndS, double DurationMs, double Mu, string EndReason, Vec3 PlannedM,
    Quat PlannedOrientation, Vec3 ToolM, double PoseErrorMm, double OrientationErrorDeg, string StateAtStart);
