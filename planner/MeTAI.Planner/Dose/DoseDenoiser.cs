using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Dose;

/// <summary>
/// Removes Monte Carlo noise from a dose grid with a locally adaptive Savitzky–Golay filter (the LASG approach of
/// Kawrakow, PMB 47:3087, 2002, compared by El Naqa et al., PMB 50:909, 2005), separably along x, y and z:
/// at each voxel a quadratic is fitted by least squares to the five voxels centred on it and its centre value
/// (weights −3, 12, 17, 12, −3 over 35) replaces the dose — but only when the fit is consistent with the voxel
/// uncertainties (χ² of the five residuals, 2 degrees of freedom, below <see cref="ChiSquareLimit"/>), all five voxels
/// are tissue, and the dose is above <see cref="MinRelativeDose"/> of the maximum. Smooth dose (quadratic up to the
/// noise) is left unbiased and its noise falls to about a third; steep gradients (field edges, the PTV surface) fail the
/// χ² test and keep their raw values. Commercial Monte Carlo planning systems smooth their dose the same way by
/// default (e.g. 3D smoothing in eMC); the raw dose stays available.
/// </summary>
public static class DoseDenoiser
{
    /// <summary>χ² limit of the quadratic fit over five voxels (2 degrees of freedom; the 95th percentile would be 6, so 20 rejects only clear structure, p ≈ 5·10⁻⁵).</summary>
    public const double ChiSquareLimit = 20.0;

    /// <summary>Voxels below this fraction of the maximum dose are left as they are.</summary>
    public const double MinRelativeDose = 0.05;

    // Least-squares quadratic on x = −2 … 2: hat-matrix rows (fitted value at each point from the five samples), × 1/35.
    private static readonly double[,] Hat =
    {
        { 31, 9, -3, -5, 3 },
        { 9, 13, 12, 6, -5 },
        { -3, 12, 17, 12, -3 },
        { -5, 6, 12, 13, 9 },
        { 3, -5, -3, 9, 31 },
    };

    /// <summary>
    /// The denoised dose and its estimated relative uncertainty. <paramref name="relativeUncertainty"/> is the raw
    /// per-voxel 1σ; <paramref name="densityGPerCm3"/> marks tissue (≥ 0.05 g/cm³).
    /// </summary>
    public static (VoxelGrid<float> Dose, VoxelGrid<float> RelativeUncertainty, double SmoothedFraction) Denoise(VoxelGrid<float> dose, VoxelGrid<float> relativeUncertainty, float[] densityGPerCm3)
    {
        ArgumentNullException.ThrowIfNull(dose);
        ArgumentNullException.ThrowIfNull(relativeUncertainty);
        ArgumentNullException.ThrowIfNull(densityGPerCm3);
        GridGeometry g = dose.Geometry;
        var d = (float[])dose.Data.Clone();
        var sigma = new float[d.Length];
        float max = 0;
        for (int n = 0; n < d.Length; n++)
        {
            sigma[n] = relativeUncertainty.Data[n] * d[n];
            if (densityGPerCm3[n] >= 0.05f)
            {
                max = Math.Max(max, d[n]);
            }
        }

        long smoothed = 0, candidates = 0;
        int[] strides = [1, g.SizeX, g.SizeX * g.SizeY];
        int[] sizes = [g.SizeX, g.SizeY, g.SizeZ];
        var outD = new float[d.Length];
        var outS = new float[d.Length];
        for (int axis = 0; axis < 3; axis++)
        {
            (long s, long c) = SmoothAlong(axis, strides[axis], sizes[axis], g, d, sigma, densityGPerCm3, max, outD, outS);
            smoothed += s;
            candidates += c;
            (d, outD) = (outD, d);
            (sigma, outS) = (outS, sigma);
        }

        var result = new VoxelGrid<float>(g, d);
        var unc = new VoxelGrid<float>(g);
        for (int n = 0; n < d.Length; n++)
        {
            unc.Data[n] = d[n] > 0 ? sigma[n] / d[n] : 0;
        }

        return (result, unc, candidates > 0 ? (double)smoothed / candidates : 0);
    }

    /// <summary>One pass along <paramref name="axis"/>: every voxel far enough from the edges and above the dose floor is a candidate, smoothed when its window passes.</summary>
    private static (long Smoothed, long Candidates) SmoothAlong(int axis, int stride, int size, GridGeometry g, float[] d, float[] sigma, float[] rho, float max, float[] outD, float[] outS)
    {
        long smoothed = 0, candidates = 0;
        for (int n = 0; n < d.Length; n++)
        {
            outD[n] = d[n];
            outS[n] = sigma[n];
            int coord = axis == 0 ? n % g.SizeX : axis == 1 ? n / g.SizeX % g.SizeY : n / (g.SizeX * g.SizeY);
            if (coord < 2 || coord >= size - 2 || d[n] < MinRelativeDose * max)
            {
                continue;
            }

            candidates++;
            if (TryFit(d, sigma, rho, n, stride, out float dose, out float sd))
            {
                outD[n] = dose;
                outS[n] = sd;
                smoothed++;
            }
        }

        return (smoothed, candidates);
    }

    /// <summary>
    /// The quadratic fit's centre value over the five voxels centred on <paramref name="n"/> (step <paramref name="stride"/>)
    /// and its 1σ, when all five are tissue with an uncertainty and the fit's χ² is below <see cref="ChiSquareLimit"/>.
    /// </summary>
    private static bool TryFit(float[] d, float[] sigma, float[] rho, int n, int stride, out float dose, out float sd)
    {
        dose = 0;
        sd = 0;
        bool ok = true;
        for (int k = -2; k <= 2; k++)
        {
            ok &= rho[n + k * stride] >= 0.05f && sigma[n + k * stride] > 0;
        }

        if (!ok)
        {
            return false;
        }

        // The batch-method σ of one voxel is itself uncertain (10 batches: ± 24 %), so the test uses the
        // pooled variance of the window.
        double pooled = 0;
        for (int r = 0; r < 5; r++)
        {
            double s = sigma[n + (r - 2) * stride];
            pooled += s * s / 5;
        }

        double chi2 = 0;
        for (int r = 0; r < 5; r++)
        {
            double fit = 0;
            for (int c = 0; c < 5; c++)
            {
                fit += Hat[r, c] * d[n + (c - 2) * stride];
            }

            double res = d[n + (r - 2) * stride] - fit / 35.0;
            chi2 += res * res / pooled;
        }

        if (chi2 > ChiSquareLimit)
        {
            return false;
        }

        double centre = 0, var = 0;
        for (int c = 0; c < 5; c++)
        {
            double w = Hat[2, c] / 35.0;
            centre += w * d[n + (c - 2) * stride];
            double s = sigma[n + (c - 2) * stride];
            var += w * w * s * s;
        }

        dose = (float)Math.Max(0, centre);
        sd = (float)Math.Sqrt(var);
        return true;
    }
}
