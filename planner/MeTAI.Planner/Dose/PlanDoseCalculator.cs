using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
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
    /// number of fractions: the course) with <paramref name="histories"/> histories in all.
    /// </summary>
    public PlanDose Compute(VoxelPhantom phantom, IReadOnlyList<DeliverySegment> segments, double muScale, long histories, ulong seed = 1, int batches = 10, bool denoise = false, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(segments);
        if (histories < 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(histories), histories, "Use at least 1000 histories for a plan dose.");
        }

        IReadOnlyList<(int BeamNumber, BeamSetup Beam)> setups = RtPlanBeams.ToBeamSetups(segments, _model, muScale);
        double particles = 0;
        foreach ((_, BeamSetup b) in setups)
        {
            particles += b.HistoriesPerMu!.Value * b.MonitorUnits;
        }

        GridGeometry g = phantom.Geometry;
        var dose = new double[g.VoxelCount];
        var variance = new double[g.VoxelCount];
        var records = new List<BeamDoseRecord>();
        var sw = Stopwatch.StartNew();
        string device = _engine.DeviceName;
        using DoseSession session = _engine.OpenSession(phantom);
        for (int n = 0; n < setups.Count; n++)
        {
            (int number, BeamSetup beam) = setups[n];
            double share = beam.HistoriesPerMu!.Value * beam.MonitorUnits / particles;
            long h = Math.Max(batches * 1000L, (long)Math.Round(histories * share));
            DoseResult r = session.Run(beam, h, seed + (ulong)n * 7919, batches, null, cancellationToken);
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

        var doseGrid = new VoxelGrid<float>(g);
        var uncGrid = new VoxelGrid<float>(g);
        for (int v = 0; v < dose.Length; v++)
        {
            doseGrid.Data[v] = (float)dose[v];
            uncGrid.Data[v] = dose[v] > 0 ? (float)(Math.Sqrt(variance[v]) / dose[v]) : 0f;
        }

        return Finish(doseGrid, uncGrid, phantom.DensitiesGPerCm3, denoise, records.Sum(r => r.Histories), sw.Elapsed.TotalSeconds, device, records);
    }

    /// <summary>Wraps a summed dose and its relative uncertainty as a <see cref="PlanDose"/>, denoising it when asked.</summary>
    public static PlanDose Finish(VoxelGrid<float> doseGrid, VoxelGrid<float> uncGrid, float[] rho, bool denoise, long histories, double seconds, string device, IReadOnlyList<BeamDoseRecord> records)
    {
        ArgumentNullException.ThrowIfNull(doseGrid);
        ArgumentNullException.ThrowIfNull(uncGrid);
        ArgumentNullException.ThrowIfNull(rho);
        double max = 0;
        for (int v = 0; v < rho.Length; v++)
        {
            if (rho[v] >= MonteCarloEngine.MinReportDensityGPerCm3)
            {
                max = Math.Max(max, doseGrid.Data[v]);
            }
        }

        double rawSigma = MeanAbove50(doseGrid.Data, uncGrid.Data, rho, max);
        VoxelGrid<float> finalDose = doseGrid, finalUnc = uncGrid;
        double smoothed = 0;
        if (denoise)
        {
            (finalDose, finalUnc, smoothed) = DoseDenoiser.Denoise(doseGrid, uncGrid, rho);
        }

        return new PlanDose
        {
            DoseGy = finalDose,
            RelativeUncertainty = finalUnc,
            MeanRelUncertaintyAbove50 = denoise ? MeanAbove50(finalDose.Data, finalUnc.Data, rho, max) : rawSigma,
            RawDoseGy = doseGrid,
            RawRelativeUncertainty = uncGrid,
            RawMeanRelUncertaintyAbove50 = rawSigma,
            Denoised = denoise,
            SmoothedFraction = smoothed,
            Beams = records,
            HistoriesSimulated = histories,
            Seconds = seconds,
            DeviceName = device,
            MaxDoseGy = max,
        };
    }

    private static double MeanAbove50(float[] dose, float[] unc, float[] rho, double max)
    {
        double sum = 0;
        int count = 0;
        for (int v = 0; v < dose.Length; v++)
        {
            if (dose[v] > 0.5 * max && rho[v] >= MonteCarloEngine.MinReportDensityGPerCm3)
            {
                sum += unc[v];
                count++;
            }
        }

        return count > 0 ? sum / count : 0;
    }

    /// <summary>The dose of an RT Plan (see <see cref="Compute(VoxelPhantom, IReadOnlyList{DeliverySegment}, double, long, ulong, int, bool, TextWriter?, CancellationToken)"/>).</summary>
    public PlanDose Compute(VoxelPhantom phantom, RtPlan plan, double muScale, long histories, ulong seed = 1, int batches = 10, Core.Geometry.Vec3? isocenterOverrideLps = null, bool denoise = false, TextWriter? log = null, CancellationToken cancellationToken = default) =>
        Compute(phantom, RtPlanBeams.Segments(plan, "RTPLAN", _model.NominalEnergyMV, null, isocenterOverrideLps), muScale, histories, seed, batches, denoise, log, cancellationToken);
}
