using System.Globalization;
using System.Text;
using MeTAI.Core.IO;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Traces;

namespace MeTAI.Hil.Reports;

/// <summary>
/// <c>report.md</c> for a reviewer: a summary table first (scenario, result, duration, assertions passed/failed, safety
/// violations, faults injected), then per scenario its assertions with what was measured, the faults and stimuli as
/// applied, the beam-on log for radiotherapy, and the plots.
/// </summary>
public static class HilReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes <c>report.md</c> into <paramref name="dir"/> and returns its path.</summary>
    public static string Write(IReadOnlyList<ScenarioResult> results, string dir, string? header = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        Directory.CreateDirectory(dir);
        var sb = new StringBuilder();
        int passed = results.Count(r => r.Passed);
        sb.Append("# HIL report\n\n");
        sb.Append(Inv, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {results.Count} scenario(s), {passed} passed, {results.Count - passed} failed · ")
            .Append(Inv, $"{results.Sum(r => r.Violations)} safety violation(s) · {results.Sum(r => r.FaultsInjected)} fault(s) injected · ")
            .Append(Inv, $"{Environment.ProcessorCount} CPU(s)\n\n");
        sb.Append("## Summary\n\n| Scenario | Result | Duration (s) | Assertions passed / failed | Safety violations | Faults injected |\n|---|---|---|---|---|---|\n");
        foreach (ScenarioResult r in results)
        {
            int ok = r.Assertions.Count(a => a.Passed);
            sb.Append(Inv, $"| [{r.Scenario.Name}](#{Anchor(r.Scenario.Name)}) | {(r.Passed ? "PASS" : r.Error is not null ? "ERROR" : "**FAIL**")} | {r.WallSeconds:F1} | {ok} / {r.Assertions.Count - ok} | {r.Violations} | {r.FaultsInjected} |\n");
        }

        if (header is not null)
        {
            sb.Append('\n').Append(header).Append('\n');
        }

        foreach (ScenarioResult r in results)
        {
            Scenario(sb, r, dir);
        }

        string path = Path.Combine(dir, "report.md");
        AtomicFile.WriteAllText(path, sb.ToString());
        return path;
    }

    private static string Anchor(string name) => name.ToLowerInvariant().Replace(' ', '-');

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static void Scenario(StringBuilder sb, ScenarioResult r, string dir)
    {
        Scenarios.Scenario s = r.Scenario;
        sb.Append("\n## ").Append(s.Name).Append("\n\n");
        if (s.Description.Length > 0)
        {
            sb.Append(s.Description.Trim()).Append("\n\n");
        }

        sb.Append(Inv, $"**{(r.Passed ? "PASS" : r.Error is not null ? "ERROR" : "FAIL")}** · source `{Path.GetFileName(s.Source)}` · seed {s.Seed} · start {s.Start} · scenario time {s.DurationS:0.###} s · wall {r.WallSeconds:F1} s (set-up included");
        sb.Append(r.SetupAttempts > 1 ? string.Create(Inv, $", set-up needed {r.SetupAttempts} attempts") : "").Append(")\n\n");
        if (r.Trace is { } st)
        {
            var stalls = st.ProcessStalls.Where(x => x.ToTicks >= st.StartTicks && x.FromTicks <= st.EndTicks).ToList();
            // A collection stops every CPU's witness: its generations are counted on the CPU that saw the most of them.
            var gcCpu = stalls.GroupBy(x => x.Cpu).MaxBy(g => g.Sum(x => x.GcPauseMs))?.ToList() ?? [];
            sb.Append(Inv, $"Stalls of the test machine during the run (a witness per CPU above every rig thread, late by ≥ {Traces.StallWitness.ThresholdMs:0} ms): ");
            sb.Append(stalls.Count == 0 ? "none" : string.Create(Inv,
                $"{stalls.Count} on {stalls.Select(x => x.Cpu).Distinct().Count()} CPU(s), longest {stalls.Max(x => x.Ms):F1} ms at {st.Seconds(stalls.MaxBy(x => x.Ms).FromTicks):F3} s, {(st.StallsWitnessed ? st.StallMsBetween(st.StartTicks, st.EndTicks) : stalls.Sum(x => x.Ms)):F1} ms with at least one CPU still, {st.GcMsBetween(st.StartTicks, st.EndTicks):F1} ms of garbage collection (gen0/1/2 {gcCpu.Count(x => x.GcGeneration == 0)}/{gcCpu.Count(x => x.GcGeneration == 1)}/{gcCpu.Count(x => x.GcGeneration == 2)})"));
            sb.Append(st.StallsWitnessed ? "" : " (the witnesses were not real-time: shown, never credited to a timing bound)").Append("\n\n");
        }

        if (s.Radiotherapy is { } rt)
        {
            string plan = rt.PlanPath is { } planPath ? $"RTPLAN `{Path.GetFileName(planPath)}` ({planPath})" : "beams listed in the scenario";
            sb.Append("Plan delivered: ").Append(plan);
            if (r.Trace is { BeamMu.Count: > 0 } planTrace)
            {
                sb.Append(Inv, $" — {planTrace.BeamMu.Count} beam(s), {planTrace.BeamMu.Values.Sum():F1} MU");
            }

            sb.Append("\n\n");
        }

        if (r.UnsafeOptions is not null)
        {
            sb.Append("> **UNSAFE TEST OPTIONS — a safety function was removed on purpose (negative test):** `").Append(r.UnsafeOptions).Append("`\n\n");
        }

        if (r.Error is not null)
        {
            sb.Append("Run error: `").Append(Cell(r.Error)).Append("`\n\n");
        }

        if (r.Assertions.Count > 0)
        {
            sb.Append("| Assertion | Safety | Result | Claim | Measured |\n|---|---|---|---|---|\n");
            foreach (AssertionResult a in r.Assertions)
            {
                sb.Append("| ").Append(a.Id).Append(" | ").Append(a.Safety ? "yes" : "").Append(" | ").Append(a.Passed ? "pass" : a.Exercised ? "**FAIL**" : "not exercised")
                    .Append(" | ").Append(Cell(a.Claim)).Append(" | ").Append(Cell(a.Detail)).Append(" |\n");
            }

            sb.Append('\n');
        }

        if (r.Trace is not { } t)
        {
            return;
        }

        if (t.Faults.Count > 0)
        {
            sb.Append("Faults injected:\n\n| Fault | What | From (s) | To (s) |\n|---|---|---|---|\n");
            foreach (FaultRecord f in t.Faults.OrderBy(f => f.StartTicks))
            {
                sb.Append(Inv, $"| {f.Id} | {Cell(f.Description)} | {t.Seconds(f.StartTicks):F3} | {(f.EndTicks == 0 ? "—" : t.Seconds(f.EndTicks).ToString("F3", Inv))} |\n");
            }

            sb.Append('\n');
        }

        if (t.Stimuli.Count > 0)
        {
            sb.Append("Stimuli: ").Append(string.Join("; ", t.Stimuli.Select(x => string.Create(Inv, $"{t.Seconds(x.Ticks):F2} s {x.Description}")))).Append("\n\n");
        }

        var transitions = t.Transitions.Where(x => x.CycleTicks > t.StartTicks && x.CycleTicks <= t.EndTicks).ToList();
        if (transitions.Count > 0)
        {
            sb.Append("Transitions: ").Append(string.Join("; ", transitions.Select(x => string.Create(Inv, $"{t.Seconds(x.CycleTicks):F3} s {x.From}→{x.To} ({x.Trigger})")))).Append("\n\n");
        }

        if (t.BeamPoses.Count > 0)
        {
            IReadOnlyList<BeamOnRecord> beams = ScenarioArtefacts.BeamOnRecords(t);
            sb.Append("Beam-on intervals (every one, with its pose; also `beam-on.csv` / `beam-on.json`):\n\n")
                .Append("| Beam | On (s) | Off (s) | ms | MU | Ended | Planned position (m) | Tool at beam-on (m) | Pose error (mm / °) | State |\n|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (BeamOnRecord b in beams)
            {
                sb.Append(Inv, $"| {b.Beam} | {b.StartS:F3} | {b.EndS:F3} | {b.DurationMs:F0} | {b.Mu:F2} | {b.EndReason} | ({b.PlannedM.X:F4}, {b.PlannedM.Y:F4}, {b.PlannedM.Z:F4}) | ({b.ToolM.X:F4}, {b.ToolM.Y:F4}, {b.ToolM.Z:F4}) | {b.PoseErrorMm:F2} / {b.OrientationErrorDeg:F2} | {b.StateAtStart} |\n");
            }

            if (beams.Count == 0)
            {
                sb.Append("| — | | | | | the beam never came on | | | | |\n");
            }

            sb.Append('\n');
        }

        foreach (string png in r.Plots)
        {
            string rel = Path.GetRelativePath(dir, png).Replace('\\', '/');
            sb.Append("![").Append(Path.GetFileNameWithoutExtension(png)).Append("](").Append(rel).Append(")\n\n");
        }

        if (r.Artefacts.Count > 0)
        {
            sb.Append("Artefacts: ").Append(string.Join(", ", r.Artefacts.Select(a => $"[`{Path.GetFileName(a)}`]({Path.GetRelativePath(dir, a).Replace('\\', '/')})"))).Append('\n');
        }
    }
}
