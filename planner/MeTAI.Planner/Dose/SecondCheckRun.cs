using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Output;

namespace MeTAI.Planner.Dose;

/// <summary>
/// The independent second check (<c>metai dose --ct DIR --plan FILE</c>): an existing DICOM RT Plan — jaws, MLC, MU,
/// angles, isocentre — read by <see cref="RtPlanBeams"/> and recomputed by Monte Carlo (<see cref="PlanDoseCalculator"/>)
/// on a CT series, kept inside the body (<see cref="SecondCheckBody"/>); <see cref="SecondCheckOutput"/> writes
/// rtdose.dcm (referencing the plan, on the CT grid) and summary.json.
/// </summary>
public static class SecondCheckRun
{
    /// <summary>Runs the recalculation and writes the outputs.</summary>
    /// <param name="request">What to recompute.</param>
    /// <param name="log">A line saying what runs and one per beam as it finishes (null: none).</param>
    /// <param name="cancellationToken">Stops the Monte Carlo between batches (the service's cancel).</param>
    /// <exception cref="ArgumentException">A plan the engine cannot model, an isocentre outside the CT, or a bad <see cref="SecondCheckRequest.Isocenter"/>.</exception>
    public static SecondCheckResult Run(SecondCheckRequest request, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        SecondCheckRequest o = request;
        PlanCtInputs inputs = CaseLoader.LoadPlanOnCt(o.CtPath, o.PlanPath, o.Inputs, log);
        (CtSeries ct, string ctDir, RtPlan plan) = (inputs.Ct, inputs.CtDirectory, inputs.Plan);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        (PatientPosition ctPosition, string ctOrigin) = CtPatientPosition.Read(ct, ctDir);
        string planSource = "RTPLAN " + o.PlanPath;
        IReadOnlyList<DeliverySegment> segments = RtPlanBeams.Segments(plan, planSource, model.NominalEnergyMV, (ctPosition, ctOrigin));
        if (ResolveIsocenter(o.Isocenter, ct, plan, segments) is Vec3 iso)
        {
            segments = RtPlanBeams.Segments(plan, planSource, model.NominalEnergyMV, (ctPosition, ctOrigin), iso);
        }

        CheckInside(segments, ct.Geometry);
        int fractions = o.Fractions ?? plan.FractionsPlanned ?? 1;
        VoxelPhantom phantom = VoxelPhantom.FromCt(ct.Hu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        using var engine = new MonteCarloEngine(o.Device);
        GridGeometry g = ct.Geometry;
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dose: plan '{plan.Label}' ({segments.Select(s => s.BeamNumber).Distinct().Count()} beams, {segments.Count} segments, {segments.Sum(s => s.MonitorUnits):0.0} MU per fraction) × {fractions} fraction(s) on CT {g.SizeX}×{g.SizeY}×{g.SizeZ} ({ctPosition.Code()}, {ctPosition.Describe()}), {(o.UncertaintyPercent is double u ? $"to σ ≤ {u} % (D > 50 % Dmax)" : $"{o.Histories:N0} histories")}"));
        VoxelMask body = SecondCheckBody.Of(ct, o.CtPath);
        log?.WriteLine($"dose: kept inside the body ({body.Name}); 0 outside it and in air");
        var calculator = new PlanDoseCalculator(engine, model);
        PlanDose dose = o.UncertaintyPercent is double pct
            ? calculator.ComputeToTarget(phantom, segments, body, fractions, Target(pct, o.MaxHistories), o.Seed, o.Denoise, o.DoseToWater, log, cancellationToken)
            : calculator.Compute(phantom, segments, body, fractions, o.Histories, o.Seed, 10, o.Denoise, o.DoseToWater, log, cancellationToken);
        Vec3 isoUsed = segments[0].IsocenterLps;
        var result = new SecondCheckResult(plan, ctDir, segments, fractions, dose, isoUsed, DoseAt(dose.DoseGy, isoUsed), Path.GetFullPath(o.OutDir)) { InputWarnings = inputs.Warnings };
        SecondCheckOutput.Write(result, ct);
        return result;
    }

    /// <summary>The second check's target: <paramref name="percent"/> %, capped at <paramref name="maxHistories"/>, a pilot of 10 M or a tenth of the cap.</summary>
    private static Dosimetry.Analysis.UncertaintyTarget Target(double percent, long maxHistories)
    {
        if (!(percent > 0 && percent < 100) || maxHistories < 100_000)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--uncertainty {percent} / --max-histories {maxHistories}: give a percentage in (0, 100) and a cap of at least 100 000 histories."));
        }

        return new Dosimetry.Analysis.UncertaintyTarget { RelativeUncertainty = percent / 100, MaxHistories = maxHistories, PilotHistories = Math.Min(10_000_000, maxHistories / 10) };
    }

    private static void CheckInside(IReadOnlyList<DeliverySegment> segments, GridGeometry g)
    {
        foreach (DeliverySegment s in segments)
        {
            Vec3 idx = g.LpsToIndex(s.IsocenterLps);
            if (idx.X < -0.5 || idx.Y < -0.5 || idx.Z < -0.5 || idx.X > g.SizeX - 0.5 || idx.Y > g.SizeY - 0.5 || idx.Z > g.SizeZ - 0.5)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Beam {s.BeamNumber}'s isocentre ({s.IsocenterLps.X:0.0}, {s.IsocenterLps.Y:0.0}, {s.IsocenterLps.Z:0.0}) mm is outside the CT (from {g.MinCornerLps} over {g.ExtentMm} mm); place it with --isocenter X,Y,Z or --isocenter ssd."));
            }
        }
    }

    /// <summary>
    /// Null: the plan's own isocentres. "X,Y,Z": that point (LPS mm). "ssd": on the line through the CT centre along the
    /// first beam's axis, at the depth that gives the plan's Source to Surface Distance on the body (HU &gt; −500).
    /// </summary>
    private static Vec3? ResolveIsocenter(string? text, CtSeries ct, RtPlan plan, IReadOnlyList<DeliverySegment> segments)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (string.Equals(text.Trim(), "ssd", StringComparison.OrdinalIgnoreCase))
        {
            DeliverySegment first = segments[0];
            RtBeam beam = plan.Beams.First(b => b.Number == first.BeamNumber);
            double ssd = beam.ControlPoints[0].SourceToSurfaceDistanceMm
                ?? throw new ArgumentException($"--isocenter ssd: beam {beam.Number} has no Source to Surface Distance in its first control point.");
            var geo = new BeamGeometry(first.GantryDeg, first.CollimatorDeg, first.CouchDeg, BodySurface.Center(ct.Hu), first.SadMm, first.Position);
            Vec3 axis = geo.BeamAxisLps;
            // The entrance face of the first tissue voxel, then SAD − SSD deeper.
            Vec3 surface = BodySurface.Entrance(ct.Hu, axis) ?? throw new ArgumentException("--isocenter ssd: the beam axis through the CT centre meets no tissue.");
            return BeamGeometry.IsocenterForSsd(surface, axis, first.SadMm, ssd);
        }

        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 3 && parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            return new Vec3(double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
        }

        throw new ArgumentException($"--isocenter '{text}' is not X,Y,Z in mm (LPS) or 'ssd'.");
    }

    /// <summary>Mean dose over the 3 × 3 × 3 voxels around the voxel nearest to <paramref name="p"/> (a point dose with 27 voxels' statistics).</summary>
    private static double DoseAt(VoxelGrid<float> dose, Vec3 p)
    {
        GridGeometry g = dose.Geometry;
        if (!g.TryNearestVoxel(p, out int i0, out int j0, out int k0))
        {
            return 0;
        }

        double sum = 0;
        int n = 0;
        for (int dk = -1; dk <= 1; dk++)
        {
            for (int dj = -1; dj <= 1; dj++)
            {
                for (int di = -1; di <= 1; di++)
                {
                    if (g.Contains(i0 + di, j0 + dj, k0 + dk))
                    {
                        sum += dose[i0 + di, j0 + dj, k0 + dk];
                        n++;
                    }
                }
            }
        }

        return n > 0 ? sum / n : 0;
    }
}
