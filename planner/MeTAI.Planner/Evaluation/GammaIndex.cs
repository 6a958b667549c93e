using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Evaluation;

/// <summary>
/// 3D gamma index (Low, Harms, Mutic &amp; Purdy 1998): for each reference voxel r with dose D_r,
/// γ(r) = min over evaluated points e of √(|e − r|²/DTA² + (D_e − D_r)²/ΔD²), ΔD = tolerance × reference dose (global)
/// or × D_r (local); γ ≤ 1 passes. Conventions follow plastimatch's <c>gamma</c>: the evaluated grid is resampled
/// trilinearly onto the reference grid (0 outside it); the reference dose defaults to the reference maximum; a voxel
/// is analysed unless both its reference dose and the evaluated dose at the same point are below the threshold; the
/// search covers every point within γ_max × DTA; γ is capped at γ_max. With <see cref="GammaOptions.Subdivisions"/>
/// = 1 the search visits the (resampled) evaluated voxels; with k &gt; 1 it interpolates the evaluated dose on a
/// lattice k times finer. The search visits offsets in order of distance and stops once the distance term alone
/// exceeds the best γ found.
/// </summary>
public static class GammaIndex
{
    // How far beyond the outermost voxel centres (in voxels) a point still counts as inside: rounding only.
    private const double OutsideEps = 1e-9;

    /// <summary>Compares <paramref name="evaluated"/> with <paramref name="reference"/>.</summary>
    public static GammaResult Compute(VoxelGrid<float> reference, VoxelGrid<float> evaluated, GammaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(evaluated);
        options ??= new GammaOptions();
        options.Validate();
        GridGeometry g = reference.Geometry;
        float[] refD = reference.Data;
        float[] evalD = evaluated.Geometry.SameAs(g) ? evaluated.Data : Resample(evaluated, g);
        double refMax = 0;
        foreach (float v in refD)
        {
            refMax = Math.Max(refMax, v);
        }

        double refDose = options.ReferenceDoseGy ?? refMax;
        double threshold = options.ThresholdFraction * refDose;
        var search = new Search(g, refD, evalD, options, refDose, threshold);
        var gamma = new float[refD.Length];
        long analysed = 0, passed = 0;
        double sumGamma = 0;
        object gate = new();
        Parallel.For(0, g.SizeZ, () => (0L, 0L, 0.0), (k, _, acc) =>
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (search.TryGamma(i, j, k, out double gv))
                    {
                        gamma[g.Index(i, j, k)] = (float)gv;
                        acc.Item1++;
                        acc.Item2 += gv <= 1 ? 1 : 0;
                        acc.Item3 += gv;
                    }
                }
            }

            return acc;
        }, acc =>
        {
            lock (gate)
            {
                analysed += acc.Item1;
                passed += acc.Item2;
                sumGamma += acc.Item3;
            }
        });

        return new GammaResult
        {
            PassRate = analysed > 0 ? (double)passed / analysed : 0,
            AnalysedVoxels = analysed,
            PassedVoxels = passed,
            MeanGamma = analysed > 0 ? sumGamma / analysed : 0,
            ReferenceDoseGy = refDose,
            Gamma = new VoxelGrid<float>(g, gamma),
        };
    }

    /// <summary>The evaluated dose trilinearly interpolated at the voxel centres of <paramref name="target"/> (0 outside its grid).</summary>
    public static float[] Resample(VoxelGrid<float> source, GridGeometry target) => GridSampling.Resample(source, target, OutsideEps);

    /// <summary>The search around one reference voxel, with everything that is the same for all of them.</summary>
    private sealed class Search(GridGeometry g, float[] refD, float[] evalD, GammaOptions options, double refDose, double threshold)
    {
        private readonly Offset[] _offsets = Offsets(g.SpacingMm, options.DtaMm, options.GammaMax, options.Subdivisions);

        /// <summary>γ at voxel (i, j, k), capped at γ_max; false when the voxel is below the threshold (not analysed).</summary>
        public bool TryGamma(int i, int j, int k, out double gamma)
        {
            int n = g.Index(i, j, k);
            double d1 = refD[n];
            double same = options.ReferenceOnlyThreshold ? -1 : evalD[n];
            if (d1 < threshold && same < threshold)
            {
                gamma = 0;
                return false;
            }

            double tol = options.DoseTolerance, gmax = options.GammaMax;
            int sub = options.Subdivisions;
            double norm = options.Local ? d1 : refDose;
            double invDd2 = norm > 0 ? 1 / (tol * tol * norm * norm) : double.PositiveInfinity;
            double best = gmax * gmax;
            foreach (Offset o in _offsets)
            {
                if (o.Distance2 >= best)
                {
                    break;
                }

                double d2 = sub == 1 ? Sample(evalD, g, i + o.I, j + o.J, k + o.K) : Interpolate(evalD, g, i + o.Fi, j + o.Fj, k + o.Fk);
                if (double.IsNaN(d2))
                {
                    continue;
                }

                double diff = d2 - d1;
                double dd = diff == 0 ? 0 : diff * diff * invDd2;
                double g2 = o.Distance2 + dd;
                if (g2 < best)
                {
                    best = g2;
                }
            }

            gamma = Math.Min(Math.Sqrt(best), gmax);
            return true;
        }
    }

    private readonly record struct Offset(int I, int J, int K, double Fi, double Fj, double Fk, double Distance2);

    private static Offset[] Offsets(Vec3 spacing, double dta, double gmax, int sub)
    {
        double radius = gmax * dta;
        int ri = (int)Math.Ceiling(radius / spacing.X * sub), rj = (int)Math.Ceiling(radius / spacing.Y * sub), rk = (int)Math.Ceiling(radius / spacing.Z * sub);
        var list = new List<Offset>();
        for (int c = -rk; c <= rk; c++)
        {
            for (int b = -rj; b <= rj; b++)
            {
                for (int a = -ri; a <= ri; a++)
                {
                    double fi = (double)a / sub, fj = (double)b / sub, fk = (double)c / sub;
                    double dx = fi * spacing.X, dy = fj * spacing.Y, dz = fk * spacing.Z;
                    double d2 = (dx * dx + dy * dy + dz * dz) / (dta * dta);
                    list.Add(new Offset(a, b, c, fi, fj, fk, d2));
                }
            }
        }

        list.Sort((p, q) => p.Distance2.CompareTo(q.Distance2));
        return [.. list];
    }

    private static double Sample(float[] d, GridGeometry g, int i, int j, int k) =>
        g.Contains(i, j, k) ? d[g.Index(i, j, k)] : double.NaN;

    /// <summary>Trilinear interpolation at fractional index (x, y, z); NaN outside the grid's voxel centres.</summary>
    private static double Interpolate(float[] d, GridGeometry g, double x, double y, double z) =>
        GridSampling.Within(g, x, y, z, OutsideEps) ? GridSampling.TrilinearClamped(g, d, x, y, z) : double.NaN;
}
