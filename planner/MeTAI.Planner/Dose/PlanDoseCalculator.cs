using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;

namespace MeTAI.Planner.Dose;

/// <summary>
/// Monte Carlo dose of a DICOM RT Plan on a phantom: <see cref="RtPlanBeams"/> turns the plan into one weighted
/// aperture per beam (every control-point segment with its MU), the histories are shared out in proportion to the
/// number of source particles each beam's MU stand for (equal statistics per unit fluence), each beam runs with the
/// batch method on one <see cref="DoseSession"/>, and the doses and variances add. This is both the independent
/// second check (<c>metai dose --plan</c>) and a plan's final dose on its sequenced apertures.
/// </summary>
public sealed class PlanDoseCalculator
{
    private readonly MonteCarloEngine _engine;
    private readonly BeamModel _model;

    /// <summary>A calculator on <paramref name="engine"/> with beam model <paramref name="model"/> (must be MU-calibrated).</summary>
    public PlanDoseCalculator(MonteCarloEngine engine, BeamModel model)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(model);
        if (model.FluencePerMuPerCm2 is null)
        {
            throw new ArgumentException($"Beam model {model.Name} has no MU calibration; a plan dose needs Gy per MU.", nameof(model));
        }

        _engine = engine;
        _model = model;
    }

    /// <summary>
    /// The dose of <paramref name="segments"/> (MU per fraction) times <paramref name="muScale"/> (1: one fraction; the
    /// number of fractions: the course) with <paramref name="histories"/> histories in all, kept inside
    /// <paramref name="body"/> (<see cref="DoseMask"/>); dose to water instead of dose to medium when
    /// <paramref name="doseToWater"/>.
    /// </summary>
    public PlanDose Compute(VoxelPhantom phantom, IReadOnlyList<DeliverySegment> segments, VoxelMask body, double muScale, long histories, ulong seed = 1, int batches = 10,
        bool denoise = false, bool doseToWater = false, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(body);
        if (histories < 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(histories), histories, "Use at least 1000 histories for a plan dose.");
        }

        IReadOnlyList<(int BeamNumber, BeamSetup Beam)> setups = RtPlanBeams.ToBeamSetups(segments, _model, muScale);
        var sw = Stopwatch.StartNew();
        using DoseSession session = _engine.OpenSession(phantom);
        (double[] dose, double[] variance, List<BeamDoseRecord> records) = RunRound(session, setups, histories, seed, batches, doseToWater, log, cancellationToken);
        (VoxelGrid<float> doseGrid, VoxelGrid<float> uncGrid) = Grids(phantom.Geometry, dose, variance);
        return Finish(doseGrid, uncGrid, phantom.DensitiesGPerCm3, body, denoise, records.Sum(r => r.Histories), sw.Elapsed.TotalSeconds, _engine.DeviceName, records, doseToWater);
    }

    /// <summary>
    /// The dose of <paramref name="segments"/> run to <paramref name="target"/> (the second check's <c>--uncertainty</c>):
    /// rounds of <see cref="Compute(VoxelPhantom, IReadOnlyList{DeliverySegment}, VoxelMask, double, long, ulong, int, bool, bool, TextWriter?, CancellationToken)"/>'s
    /// beam runs (10 batches per beam each, a new seed per round), combined by their histories, stopped by
    /// <see cref="UncertaintyStoppingRule"/> with B = 10 per round on the mean σ over D &gt; 50 % Dmax of the kept voxels
    /// (body and matter) — the rule of <see cref="SegmentDosesToTarget"/>.
    /// </summary>
    public PlanDose ComputeToTarget(VoxelPhantom phantom, IReadOnlyList<DeliverySegment> segments, VoxelMask body, double muScale, UncertaintyTarget target, ulong seed = 1,
        bool denoise = false, bool doseToWater = false, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(body);
        target.Validate();
        IReadOnlyList<(int BeamNumber, BeamSetup Beam)> setups = RtPlanBeams.ToBeamSetups(segments, _model, muScale);
        VoxelMask kept = DoseMask.Kept(body, phantom.DensitiesGPerCm3);
        var sw = Stopwatch.StartNew();
        using DoseSession session = _engine.OpenSession(phantom);
        double[] dose = [], variance = [];
        var records = new List<BeamDoseRecord>();
        long total = 0, next = target.PilotHistories;
        for (int round = 1; ; round++)
        {
            (double[] d, double[] v, List<BeamDoseRecord> r) = RunRound(session, setups, next, seed + (ulong)(round - 1) * 15_485_863, 10, doseToWater, log, cancellationToken);
            long h = r.Sum(x => x.Histories);
            (dose, variance) = round == 1 ? (d, v) : Combine(dose, variance, total, d, v, h);
            total += h;
            records.AddRange(r);
            (VoxelGrid<float> dg, VoxelGrid<float> ug) = Grids(phantom.Geometry, dose, variance);
            double sigma = DoseMask.MeanRelUncertaintyAbove50(DoseMask.Apply(dg, kept), DoseMask.Apply(ug, kept));
            int batches = 10 * round;
            StopReason stop = UncertaintyStoppingRule.Decide(target, batches, total, sigma);
            double bound = UncertaintyStoppingRule.UpperBound(sigma, batches, target.Confidence);
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  dose round {round}: {total / 1e6:0.00} M histories, σ(D>50%) {100 * sigma:0.00} %, upper bound {100 * bound:0.00} % (target {100 * target.RelativeUncertainty:0.##} %)"));
            if (stop != StopReason.Continue)
            {
                PlanDose p = Finish(dg, ug, phantom.DensitiesGPerCm3, body, denoise, total, sw.Elapsed.TotalSeconds, _engine.DeviceName, records, doseToWater);
                return p.WithOutcome(target, stop, sigma, bound);
            }

            double ratio = sigma * UncertaintyStoppingRule.UpperBoundFactor(batches + 10, target.Confidence) / target.RelativeUncertainty;
            double predicted = sigma > 0 ? total * ratio * ratio : target.MaxHistories;
            next = (long)Math.Min(Math.Max(predicted - total, target.PilotHistories), target.MaxHistories - total);
        }
    }

    /// <summary>One run of every beam with <paramref name="histories"/> shared by source particles: the summed dose and its variance per voxel.</summary>
    private static (double[] Dose, double[] Variance, List<BeamDoseRecord> Records) RunRound(DoseSession session, IReadOnlyList<(int BeamNumber, BeamSetup Beam)> setups, long histories, ulong seed, int batches,
        bool doseToWater, TextWriter? log, CancellationToken cancellationToken)
    {
        double particles = 0;
        foreach ((_, BeamSetup b) in setups)
        {
            particles += b.HistoriesPerMu!.Value * b.MonitorUnits;
        }

        VoxelPhantom phantom = session.Phantom;
        var dose = new double[phantom.Geometry.VoxelCount];
        var variance = new double[phantom.Geometry.VoxelCount];
        var records = new List<BeamDoseRecord>();
        for (int n = 0; n < setups.Count; n++)
        {
            (int number, BeamSetup beam) = setups[n];
            double share = beam.HistoriesPerMu!.Value * beam.MonitorUnits / particles;
            long h = Math.Max(batches * 1000L, (long)Math.Round(histories * share));
            var request = new DoseRequest { Phantom = phantom, Beam = beam, Histories = h, Seed = seed + (ulong)n * 7919, Batches = batches, Physics = session.Physics, DoseToWater = doseToWater };
            DoseResult r = session.Run(request, null, cancellationToken);
            float[] d = r.Dose.Data, u = r.RelativeUncertainty.Data;
            for (int v = 0; v < d.Length; v++)
            {
                double dv = d[v];
                dose[v] += dv;
                double s = dv * u[v];
                variance[v] += s * s;
            }

            records.Add(new BeamDoseRecord(number, beam.MonitorUnits, beam.Aperture.Rectangles.Count, r.Histories, r.Seconds, r.MeanRelUncertaintyAbove50));
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  dose: beam {number}: {beam.MonitorUnits:0.0} MU, {beam.Aperture.Rectangles.Count} rectangles, {r.Histories / 1e6:0.00} M histories, {r.Seconds:0.0} s, σ(D>50%) {100 * r.MeanRelUncertaintyAbove50:0.0} %"));
        }

        return (dose, variance, records);
    }

    // Two independent estimates by their histories: (h₁D₁ + h₂D₂)/(h₁ + h₂), variance (h₁²v₁ + h₂²v₂)/(h₁ + h₂)².
    private static (double[] Dose, double[] Variance) Combine(double[] d1, double[] v1, long h1, double[] d2, double[] v2, long h2)
    {
        double w1 = (double)h1 / (h1 + h2), w2 = 1 - w1;
        for (int v = 0; v < d1.Length; v++)
        {
            d1[v] = w1 * d1[v] + w2 * d2[v];
            v1[v] = w1 * w1 * v1[v] + w2 * w2 * v2[v];
        }

        return (d1, v1);
    }

    private static (VoxelGrid<float> Dose, VoxelGrid<float> Uncertainty) Grids(GridGeometry g, double[] dose, double[] variance)
    {
        var doseGrid = new VoxelGrid<float>(g);
        var uncGrid = new VoxelGrid<float>(g);
        for (int v = 0; v < dose.Length; v++)
        {
            doseGrid.Data[v] = (float)dose[v];
            uncGrid.Data[v] = dose[v] > 0 ? (float)(Math.Sqrt(variance[v]) / dose[v]) : 0f;
        }

        return (doseGrid, uncGrid);
    }

    /// <summary>
    /// Wraps a summed dose and its relative uncertainty as a <see cref="PlanDose"/>: both kept inside
    /// <paramref name="body"/> and in matter (<see cref="DoseMask"/>), denoised when asked, the maximum and mean
    /// uncertainty taken from the masked dose — the numbers that are written, reported and evaluated.
    /// <paramref name="doseToWater"/> says what the dose is (to water, or to medium).
    /// </summary>
    public static PlanDose Finish(VoxelGrid<float> doseGrid, VoxelGrid<float> uncGrid, float[] rho, VoxelMask body, bool denoise, long histories, double seconds, string device, IReadOnlyList<BeamDoseRecord> records,
        bool doseToWater = false)
    {
        ArgumentNullException.ThrowIfNull(doseGrid);
        ArgumentNullException.ThrowIfNull(uncGrid);
        ArgumentNullException.ThrowIfNull(rho);
        ArgumentNullException.ThrowIfNull(body);
        VoxelMask kept = DoseMask.Kept(body, rho);
        VoxelGrid<float> rawDose = DoseMask.Apply(doseGrid, kept), rawUnc = DoseMask.Apply(uncGrid, kept);
        double rawSigma = DoseMask.MeanRelUncertaintyAbove50(rawDose, rawUnc);
        VoxelGrid<float> finalDose = rawDose, finalUnc = rawUnc;
        double smoothed = 0;
        if (denoise)
        {
            (VoxelGrid<float> d, VoxelGrid<float> u, smoothed) = DoseDenoiser.Denoise(rawDose, rawUnc, rho);
            (finalDose, finalUnc) = (DoseMask.Apply(d, kept), DoseMask.Apply(u, kept));
        }

        return new PlanDose
        {
            DoseGy = finalDose,
            RelativeUncertainty = finalUnc,
            MeanRelUncertaintyAbove50 = denoise ? DoseMask.MeanRelUncertaintyAbove50(finalDose, finalUnc) : rawSigma,
            RawDoseGy = rawDose,
            RawRelativeUncertainty = rawUnc,
            RawMeanRelUncertaintyAbove50 = rawSigma,
            Denoised = denoise,
            SmoothedFraction = smoothed,
            Beams = records,
            HistoriesSimulated = histories,
            Seconds = seconds,
            DeviceName = device,
            MaxDoseGy = DoseMask.Max(finalDose),
            Body = body.Name,
            IsDoseToWater = doseToWater,
        };
    }

    /// <summary>The dose of an RT Plan (see <see cref="Compute(VoxelPhantom, IReadOnlyList{DeliverySegment}, VoxelMask, double, long, ulong, int, bool, bool, TextWriter?, CancellationToken)"/>).</summary>
    public PlanDose Compute(VoxelPhantom phantom, RtPlan plan, VoxelMask body, double muScale, long histories, ulong seed = 1, int batches = 10, Core.Geometry.Vec3? isocenterOverrideLps = null,
        bool denoise = false, bool doseToWater = false, TextWriter? log = null, CancellationToken cancellationToken = default) =>
        Compute(phantom, RtPlanBeams.Segments(plan, "RTPLAN", _model.NominalEnergyMV, null, isocenterOverrideLps), body, muScale, histories, seed, batches, denoise, doseToWater, log, cancellationToken);
}
