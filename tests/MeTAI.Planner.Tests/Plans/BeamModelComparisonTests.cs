using System.Globalization;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Plans;
using MeTAI.Planner.Plans.Stages;
using Xunit.Abstractions;

namespace MeTAI.Planner.Tests.Plans;

/// <summary>
/// The measurement behind docs/planning.md "Beam model": the default prostate plan (planned with 6MV-point) has its
/// delivery segments — the same jaws, leaves and MU — computed with both models, the same histories and seed, raw (no
/// denoising, no re-weighting, no normalisation). The full model is <c>6MV</c> with the plan's MLC layout (80 pairs of
/// 5 mm, the planner's; leaf physics as in 6MV.json), so closed leaves leak, rounded ends widen every gap and the
/// extra-focal and contamination sources add their dose. Opt-in (METAI_NIGHTLY=1): a plan and two doses of
/// <see cref="PlanSettings.FinalHistories"/> histories each (the figures in docs/planning.md were made with 15 M).
/// </summary>
public class BeamModelComparisonTests(ITestOutputHelper output)
{
    [NightlyFact]
    [Trait("Category", "Nightly")]
    public void ProstatePlan_SameSegmentsWithBothModels_FullModelAddsLeakageDose()
    {
        PlanCase c = PlanCase.FromPhantom(PhantomLibrary.Build("prostate", 5));
        Protocol p = ProtocolLoader.Load(TestData.Protocol("prostate"));
        var settings = new PlanSettings();
        PlanResult r = PlanPipeline.Run(c, p, settings);
        int fractions = p.Prescription.Fractions;
        List<DeliverySegment> segments = [.. r.Sequenced.SelectMany(b => b.DeliverySegments(r.SadMm))];
        double[] mu = [.. segments.Select(s => s.MonitorUnits * fractions)];
        BeamModel point = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        BeamModel full6 = BeamModel.Load(DosimetryPaths.BeamFile("6MV"));
        BeamModel full = full6 with { Collimator = full6.Collimator! with { Mlc = full6.Collimator.Mlc! with { LeafBoundariesMm = MlcGeometry.UniformBoundaries(settings.LeafWidthMm, settings.LeafPairs) } } };
        VoxelPhantom phantom = VoxelPhantom.FromCt(r.Case.CtHu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        VoxelMask body = r.Case.BodyMask();
        using var engine = new MonteCarloEngine(settings.Device);
        var metrics = new Dictionary<string, IReadOnlyDictionary<string, StructureMetrics>>();
        foreach ((string name, BeamModel model) in new[] { ("6MV-point", point), ("6MV", full) })
        {
            SegmentDoses d = SegmentDoses.Compute(engine, model, phantom, segments, settings.FinalHistories, settings.Seed + 7);
            VoxelGrid<float> dose = DoseMask.Apply(d.Sum(mu).DoseGy, DoseMask.Kept(body, phantom.DensitiesGPerCm3));
            metrics[name] = EvaluationStage.Evaluate(r.Case, p, dose.Data, body).Metrics;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prostate plan, {r.TotalMuPerFraction:0} MU per fraction × {fractions}, {segments.Count} segments; {settings.FinalHistories / 1e6:0} M histories per model, raw dose"));
        output.WriteLine("| structure | mean 6MV-point (Gy) | mean 6MV (Gy) | change | D5 6MV-point | D5 6MV | D50 6MV-point | D50 6MV |");
        foreach (string s in metrics["6MV-point"].Keys)
        {
            StructureMetrics a = metrics["6MV-point"][s], b = metrics["6MV"][s];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s} | {a.MeanGy:0.00} | {b.MeanGy:0.00} | {100 * (b.MeanGy / a.MeanGy - 1):+0.0;-0.0} % | {a.D5Gy:0.00} | {b.D5Gy:0.00} | {a.D50Gy:0.00} | {b.D50Gy:0.00} |"));
        }

        // Leakage under the closed leaves and the extra-focal halo only add dose outside the target's apertures.
        foreach (string s in new[] { "Rectum", "Bladder", "External" })
        {
            Assert.True(metrics["6MV"][s].MeanGy > metrics["6MV-point"][s].MeanGy, s);
        }
    }
}
