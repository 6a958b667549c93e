using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;

namespace MeTAI.Cli.Commands;

/// <summary>
/// The plan mode of <c>metai dose</c> (the independent second check): an existing DICOM RT Plan — jaws, MLC, MU, angles,
/// isocentre — recomputed by Monte Carlo on a CT series; writes rtdose.dcm (referencing the plan, on the CT grid) and
/// summary.json.
/// </summary>
internal static class DosePlanRun
{
    /// <summary>What the command line asked for.</summary>
    public sealed record Options(string CtPath, string PlanPath, string? Isocenter, int? Fractions, long Histories, DeviceKind Device, ulong Seed, bool Denoise, string OutDir);

    /// <summary>Runs the recalculation and writes the outputs.</summary>
    public static PlanDose Run(Options o, TextWriter stdout)
    {
        string ctDir = Directory.Exists(Path.Combine(o.CtPath, RtStudyWriter.CtDirectory)) ? Path.Combine(o.CtPath, RtStudyWriter.CtDirectory) : o.CtPath;
        CtSeries ct = CtSeriesReader.Read(ctDir);
        RtPlan plan = RtPlanReader.Read(o.PlanPath);
        IReadOnlyList<DeliverySegment> segments = RtPlanBeams.Segments(plan);
        Vec3? iso = ResolveIsocenter(o.Isocenter, ct, plan, segments);
        if (iso is Vec3 i)
        {
            segments = RtPlanBeams.Segments(plan, i);
        }

        GridGeometry g = ct.Geometry;
        foreach (DeliverySegment s in segments)
        {
            Vec3 idx = g.LpsToIndex(s.IsocenterLps);
            if (idx.X < -0.5 || idx.Y < -0.5 || idx.Z < -0.5 || idx.X > g.SizeX - 0.5 || idx.Y > g.SizeY - 0.5 || idx.Z > g.SizeZ - 0.5)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Beam {s.BeamNumber}'s isocentre ({s.IsocenterLps.X:0.0}, {s.IsocenterLps.Y:0.0}, {s.IsocenterLps.Z:0.0}) mm is outside the CT (from {g.MinCornerLps} over {g.ExtentMm} mm); place it with --isocenter X,Y,Z or --isocenter ssd."));
            }
        }

        int fractions = o.Fractions ?? plan.FractionsPlanned ?? 1;
        VoxelPhantom phantom = VoxelPhantom.FromCt(ct.Hu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-mohan"));
        using var engine = new MonteCarloEngine(o.Device);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dose: plan '{plan.Label}' ({segments.Select(s => s.BeamNumber).Distinct().Count()} beams, {segments.Count} segments, {segments.Sum(s => s.MonitorUnits):0.0} MU per fraction) × {fractions} fraction(s) on CT {g.SizeX}×{g.SizeY}×{g.SizeZ}, {o.Histories:N0} histories"));
        PlanDose dose = new PlanDoseCalculator(engine, model).Compute(phantom, segments, fractions, o.Histories, o.Seed, 10, o.Denoise, stdout);
        string dir = Path.GetFullPath(o.OutDir);
        Directory.CreateDirectory(dir);
        var rtDose = new RtDose
        {
            Dose = dose.DoseGy,
            PatientStudy = ct.PatientStudy,
            FrameOfReferenceUid = ct.FrameOfReferenceUid,
            DoseSummationType = "PLAN",
            ReferencedPlanUid = plan.SopInstanceUid,
            Comment = string.Create(CultureInfo.InvariantCulture, $"MeTAI Monte Carlo second check, {fractions} fraction(s), {dose.Histories} histories"),
        };
        RtDoseWriter.Write(rtDose, Path.Combine(dir, RtStudyWriter.DoseFile));
        Vec3 isoUsed = segments[0].IsocenterLps;
        double atIso = DoseAt(dose.DoseGy, isoUsed);
        string summary = CliJson.Serialize(new
        {
            plan = plan.Label,
            planUid = plan.SopInstanceUid,
            ct = ctDir,
            fractions,
            beams = segments.GroupBy(s => s.BeamNumber).Select(b => new
            {
                number = b.Key,
                name = b.First().BeamName,
                gantryDeg = b.First().GantryDeg,
                collimatorDeg = b.First().CollimatorDeg,
                couchDeg = b.First().CouchDeg,
                segments = b.Count(),
                monitorUnitsPerFraction = b.Sum(s => s.MonitorUnits),
                isocenterLps = new[] { b.First().IsocenterLps.X, b.First().IsocenterLps.Y, b.First().IsocenterLps.Z },
            }),
            histories = dose.Histories,
            seconds = dose.Seconds,
            device = dose.DeviceName,
            denoised = dose.Denoised,
            meanRelUncertaintyAbove50 = dose.MeanRelUncertaintyAbove50,
            maxDoseGy = dose.MaxDoseGy,
            isocenterLps = new[] { isoUsed.X, isoUsed.Y, isoUsed.Z },
            doseAtIsocenterGy = atIso,
            doseAtIsocenterPerFractionGy = atIso / fractions,
        });
        File.WriteAllText(Path.Combine(dir, "summary.json"), summary);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{dose.Histories:N0} histories in {dose.Seconds:0.0} s on {dose.DeviceName}; σ(D>50%) {100 * dose.MeanRelUncertaintyAbove50:0.0} %; max {dose.MaxDoseGy:0.000} Gy; at the isocentre {atIso:0.000} Gy ({atIso / fractions:0.000} Gy per fraction)"));
        stdout.WriteLine($"wrote rtdose.dcm, summary.json to {dir}");
        return dose;
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
            GridGeometry g = ct.Geometry;
            Vec3 center = g.IndexToLps((g.SizeX - 1) / 2.0, (g.SizeY - 1) / 2.0, (g.SizeZ - 1) / 2.0);
            var geo = new BeamGeometry(first.GantryDeg, first.CollimatorDeg, first.CouchDeg, center, first.SadMm);
            Vec3 axis = geo.BeamAxisLps;
            double half = g.ExtentMm.Length;
            for (double t = -half; t <= half; t += 0.25)
            {
                Vec3 p = center + axis * t;
                if (g.TryNearestVoxel(p, out int i, out int j, out int k) && ct.Hu[i, j, k] > -500)
                {
                    // The entrance face of the first tissue voxel, then SAD − SSD deeper.
                    return BeamGeometry.IsocenterForSsd(center + axis * (t - 0.125), axis, first.SadMm, ssd);
                }
            }

            throw new ArgumentException("--isocenter ssd: the beam axis through the CT centre meets no tissue.");
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
