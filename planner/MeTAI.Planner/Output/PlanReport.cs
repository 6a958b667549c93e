using System.Text.Json;
using MeTAI.Core.Json;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Optimization.Solver;
using MeTAI.Planner.Plans;

namespace MeTAI.Planner.Output;

/// <summary>
/// report.json (docs/planning.md): case, prescription, beams, influence matrix, optimiser runs and
/// <c>objectiveHistory</c>, sequencing, final dose statistics, <c>goals</c> (final dose), the predicted and raw-dose
/// goals, per-structure <c>metrics</c> and <c>timings</c>. camelCase, invariant numbers.
/// </summary>
public static class PlanReport
{
    /// <summary>The report as a JSON-serialisable object.</summary>
    public static object Build(PlanResult r, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(files);
        return new
        {
            Case = r.Case.Name,
            InputWarnings = r.Case.InputWarnings,
            Protocol = r.Protocol.Name,
            Prescription = new { r.Protocol.Prescription.Target, r.Protocol.Prescription.DoseGy, r.Protocol.Prescription.Fractions },
            IsocenterLps = new[] { r.IsocenterLps.X, r.IsocenterLps.Y, r.IsocenterLps.Z },
            Beams = Beams(r),
            TotalMonitorUnitsPerFraction = r.TotalMuPerFraction,
            Influence = new
            {
                r.Influence.Rows,
                r.Influence.Columns,
                r.Influence.NonZeros,
                r.Settings.HistoriesPerBeamlet,
                r.Settings.RelativeCutoff,
                r.Influence.FromCache,
            },
            Optimizer = Optimizer(r),
            ObjectiveHistory = ObjectiveHistory(r),
            SegmentObjectiveHistory = r.SegmentRun?.History.Select(h => h.Objective),
            Sequencing = new
            {
                Algorithm = "Bortfeld et al. 1994 sweep (step-and-shoot), segment weights re-optimised",
                Levels = r.Settings.SequencingLevels ?? r.Protocol.SequencingLevels,
                MinSegmentMu = r.Settings.MinSegmentMu ?? r.Protocol.MinSegmentMu,
                r.Settings.LeafWidthMm,
                Segments = r.Sequenced.Sum(b => b.Segments.Count),
            },
            FinalDose = FinalDose(r),
            AllGoalsPassed = r.AllGoalsPassed,
            Goals = r.Goals.Select(Goal),
            RawDoseGoals = r.RawDoseGoals.Select(Goal),
            Denoising = new
            {
                r.FinalDose.Denoised,
                SigmaPerStructure = DenoisingSummary.SigmaPerStructure(r).Select(x => new { x.Structure, Raw = x.Raw, Exported = x.Exported }),
                GoalsFlipped = DenoisingSummary.FlippedGoals(r),
            },
            PredictedGoals = r.PredictedGoals.Select(Goal),
            SequencedGoals = r.SequencedGoals.Select(Goal),
            Metrics = r.Metrics,
            Timings = new
            {
                r.Timings.InfluenceSeconds,
                r.Timings.OptimizationSeconds,
                r.Timings.SequencingSeconds,
                r.Timings.FinalDoseSeconds,
                r.Timings.OtherSeconds,
                r.Timings.TotalSeconds,
            },
            Files = files,
        };
    }

    /// <summary>Serialises the report.</summary>
    public static string ToJson(PlanResult r, IReadOnlyList<string> files) => JsonSerializer.Serialize(Build(r, files), JsonDefaults.Indented);

    /// <summary>Serialises any value with the report's settings.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Indented);

    /// <summary>Per beam: angles, beamlets, segments, MU per fraction and jaws.</summary>
    private static object Beams(PlanResult r) => r.Sequenced.Select((b, i) => new
    {
        b.Beam.Number,
        b.Beam.Name,
        b.Beam.GantryDeg,
        b.Beam.CollimatorDeg,
        b.Beam.CouchDeg,
        Beamlets = r.Grids[i].Count,
        Segments = b.Segments.Count,
        MonitorUnitsPerFraction = b.MonitorUnits,
        JawsMm = new[] { b.JawX1Mm, b.JawX2Mm, b.JawY1Mm, b.JawY2Mm },
    });

    /// <summary>The fluence optimiser: its runs and each objective's protocol and final weight.</summary>
    private static object Optimizer(PlanResult r) => new
    {
        Method = "projected L-BFGS-B",
        Operator = r.OperatorName,
        Runs = r.FluenceRuns.Select(o => new { o.Iterations, o.Evaluations, o.Seconds, o.StopReason, InitialObjective = o.History[0].Objective, FinalObjective = o.Objective }),
        Objectives = r.Protocol.Objectives.Select((o, i) => new { o.Structure, o.Type, o.DoseGy, o.VolumePercent, o.Exponent, ProtocolWeight = o.Weight, FinalWeight = r.FinalWeights[i], o.Priority }),
    };

    /// <summary>The objective at every iteration of every fluence run, in order.</summary>
    private static List<double> ObjectiveHistory(PlanResult r)
    {
        var history = new List<double>();
        foreach (OptimizationResult run in r.FluenceRuns)
        {
            foreach (IterationRecord h in run.History)
            {
                history.Add(h.Objective);
            }
        }

        return history;
    }

    /// <summary>The final Monte Carlo dose: statistics, denoising, normalisation, the body it is kept inside and its maximum (the RT Dose's).</summary>
    private static object FinalDose(PlanResult r) => new
    {
        r.FinalDose.Histories,
        r.FinalDose.Seconds,
        Device = r.FinalDose.DeviceName,
        r.FinalDose.Denoised,
        r.FinalDose.MeanRelUncertaintyAbove50,
        r.FinalDose.RawMeanRelUncertaintyAbove50,
        r.FinalDose.SmoothedFraction,
        UncertaintyTarget = r.FinalDose.Target is { } t ? new { Percent = 100 * t.RelativeUncertainty, Roi = r.Settings.FinalUncertaintyRoi, t.MaxHistories, t.Confidence } : null,
        Stop = r.FinalDose.Stop switch { Dosimetry.Analysis.StopReason.TargetReached => "target reached", Dosimetry.Analysis.StopReason.HistoryCap => "history cap", _ => null },
        r.FinalDose.StoppingUncertainty,
        r.FinalDose.StoppingUpperBound,
        r.NormalizationFactor,
        Normalization = r.Protocol.Normalization,
        MaxDoseGy = r.FinalDose.MaxDoseGy,
        r.FinalDose.Body,
        DoseToWater = r.FinalDose.IsDoseToWater,
    };

    private static object Goal(GoalResult g) => new { g.Structure, g.Metric, g.Comparison, g.Target, g.Achieved, g.Unit, g.Passed, g.Priority };
}
