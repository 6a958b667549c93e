using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.Engines;

public sealed partial class MonteCarloEngine
{
    /// <summary>
    /// Voxels lighter than this (air around a patient) are left out of the maximum dose and of the D &gt; 50 % Dmax
    /// uncertainty: a single electron in a voxel of air gives it a dose of the order of the tissue maximum.
    /// </summary>
    public const double MinReportDensityGPerCm3 = 0.05;

    /// <summary>
    /// PDD along the central axis and a lateral profile at 100 mm depth (the summary a report shows first). Depth is
    /// measured from the surface: where the axis first meets a voxel of at least 0.5 g/cm³ when
    /// <paramref name="densityGPerCm3"/> is given (a CT with air around the patient), else where it enters the grid.
    /// </summary>
    public static (DepthDoseCurve? Axis, DoseProfile? Profile) CentralAxisSummary(BeamGeometry beam, GridGeometry g, float[] dose, float[]? densityGPerCm3 = null)
    {
        ArgumentNullException.ThrowIfNull(beam);
        ArgumentNullException.ThrowIfNull(g);
        Vec3? entry = Analysis.DoseSampling.EntryPoint(g, beam.SourceLps, beam.BeamAxisLps);
        if (entry is not Vec3 e)
        {
            return (null, null);
        }

        if (densityGPerCm3 is not null)
        {
            double fine = 0.25 * Math.Min(g.SpacingMm.X, Math.Min(g.SpacingMm.Y, g.SpacingMm.Z));
            for (double d = 0; d < 5000; d += fine)
            {
                Vec3 q = e + beam.BeamAxisLps * d;
                if (!g.TryNearestVoxel(q, out int i, out int j, out int k))
                {
                    break;
                }

                if (densityGPerCm3[g.Index(i, j, k)] >= 0.5)
                {
                    // The surface lies within the last sampling interval: take its middle (error ≤ 1/8 voxel).
                    e = d > 0 ? q - beam.BeamAxisLps * (0.5 * fine) : e;
                    break;
                }
            }
        }

        Vec3 exitProbe = e;
        double step = Math.Min(g.SpacingMm.X, Math.Min(g.SpacingMm.Y, g.SpacingMm.Z));
        double length = 0;
        while (length < 5000)
        {
            exitProbe = e + beam.BeamAxisLps * (length + step);
            Vec3 c = g.LpsToIndex(exitProbe);
            if (c.X < -0.5 || c.Y < -0.5 || c.Z < -0.5 || c.X > g.SizeX - 0.5 || c.Y > g.SizeY - 0.5 || c.Z > g.SizeZ - 0.5)
            {
                break;
            }

            length += step;
        }

        if (length < 3 * step)
        {
            return (null, null);
        }

        DepthDoseCurve axis = DepthDoseCurve.Sample(g, dose, e, beam.BeamAxisLps, step, length);
        DoseProfile? profile = null;
        if (length > 100)
        {
            profile = DoseProfile.Sample(g, dose, e + beam.BeamAxisLps * 100, beam.BldXLps, 0.5 * Math.Max(g.ExtentMm.X, g.ExtentMm.Z), step / 2);
        }

        return (axis, profile);
    }

    /// <summary>
    /// Dose-to-water factor per material: ratio of unrestricted mass collision stopping powers water/medium averaged
    /// (logarithmically) over 0.2–3 MeV, the electron energies that carry most MV dose (docs/monte-carlo.md).
    /// </summary>
    public static double[] DoseToWaterFactors(IReadOnlyList<MaterialData> materials, string? materialsDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(materials);
        string dir = materialsDirectory ?? DosimetryPaths.MaterialsDirectory();
        MaterialData water = MaterialLibrary.LoadFile(Path.Combine(dir, "water.json"));
        var f = new double[materials.Count];
        for (int m = 0; m < materials.Count; m++)
        {
            double acc = 0;
            const int n = 16;
            for (int i = 0; i < n; i++)
            {
                double e = 0.2 * Math.Pow(3 / 0.2, (i + 0.5) / n);
                acc += MaterialData.Interpolate(water.ElectronEnergyMeV, water.CollisionMeVCm2PerG, e)
                    / MaterialData.Interpolate(materials[m].ElectronEnergyMeV, materials[m].CollisionMeVCm2PerG, e);
            }

            f[m] = acc / n;
        }

        return f;
    }
}
