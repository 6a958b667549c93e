namespace MeTAI.Dosimetry.Analysis;

/// <summary>
/// The stopping rule of a run to a target uncertainty (<see cref="UncertaintyTarget"/>). After B batches the batch
/// method's variance estimate of each voxel has B − 1 degrees of freedom, so a run of batches that happen to agree
/// reads low; the rule therefore stops on the one-sided upper confidence bound
/// σ_up = σ̂ · √((B − 1) / χ²_{1−c}(B − 1)) (c the confidence, χ²_p the lower p-quantile), never on σ̂ itself, and only
/// after <see cref="UncertaintyTarget.MinBatches"/> batches. Applying the single-voxel bound to the mean σ over a region is
/// conservative: the mean over many voxels scatters less than one voxel's σ̂.
/// </summary>
public static class UncertaintyStoppingRule
{
    /// <summary>The factor √((B − 1)/χ²_{1−c}(B − 1)) that turns σ̂ from <paramref name="batches"/> batches into its upper bound at confidence <paramref name="confidence"/>.</summary>
    public static double UpperBoundFactor(int batches, double confidence)
    {
        if (batches < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(batches), batches, "A batch estimate needs at least two batches.");
        }

        int dof = batches - 1;
        return Math.Sqrt(dof / ChiSquareQuantile(1 - confidence, dof));
    }

    /// <summary>The upper confidence bound of σ estimated as <paramref name="sigma"/> from <paramref name="batches"/> batches.</summary>
    public static double UpperBound(double sigma, int batches, double confidence) => sigma * UpperBoundFactor(batches, confidence);

    /// <summary>
    /// Whether to stop after <paramref name="batches"/> batches and <paramref name="histories"/> histories with the
    /// estimate <paramref name="sigma"/> (mean relative σ over the stopping region).
    /// </summary>
    public static StopReason Decide(UncertaintyTarget target, int batches, long histories, double sigma)
    {
        ArgumentNullException.ThrowIfNull(target);
        // σ̂ = 0 means no dose in the region yet (or a degenerate stream): never a reason to stop on the target.
        if (batches >= target.MinBatches && sigma > 0 && UpperBound(sigma, batches, target.Confidence) <= target.RelativeUncertainty)
        {
            return StopReason.TargetReached;
        }

        return histories >= target.MaxHistories ? StopReason.HistoryCap : StopReason.Continue;
    }

    /// <summary>
    /// Histories of the next batch: the pilot's share while in the pilot; then the histories still predicted
    /// (σ ∝ 1/√N, the bound's factor at the planned batch count included) spread over the batches left to the plan,
    /// never fewer than a pilot batch and never past the cap.
    /// </summary>
    public static long NextBatchHistories(UncertaintyTarget target, int batches, long histories, double sigma)
    {
        ArgumentNullException.ThrowIfNull(target);
        long pilotBatch = Math.Max(1, target.PilotHistories / target.MinBatches);
        long left = target.MaxHistories - histories;
        if (batches < target.MinBatches || sigma <= 0)
        {
            return Math.Max(0, Math.Min(pilotBatch, left));
        }

        double ratio = sigma * UpperBoundFactor(target.PlannedBatches, target.Confidence) / target.RelativeUncertainty;
        double needed = histories * ratio * ratio - histories;
        int remaining = Math.Max(1, target.PlannedBatches - batches);
        double next = Math.Ceiling(needed / remaining);
        return Math.Max(0, Math.Min(left, Math.Max(pilotBatch, double.IsFinite(next) ? (long)Math.Min(next, long.MaxValue / 2) : left)));
    }

    /// <summary>
    /// The lower <paramref name="p"/>-quantile of χ² with <paramref name="dof"/> degrees of freedom by the
    /// Wilson–Hilferty cube-root normal approximation (within 0.5 % of the exact quantile for 9 or more degrees of
    /// freedom at p = 0.05; it only sizes the safety factor).
    /// </summary>
    public static double ChiSquareQuantile(double p, int dof)
    {
        if (!(p > 0 && p < 1) || dof < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Need 0 < p < 1 and at least one degree of freedom.");
        }

        double a = 2.0 / (9.0 * dof);
        double c = 1 - a + NormalQuantile(p) * Math.Sqrt(a);
        return dof * Math.Max(c, 1e-6) * Math.Max(c, 1e-6) * Math.Max(c, 1e-6);
    }

    /// <summary>The standard normal p-quantile (Acklam's rational approximation, relative error below 1.2·10⁻⁹).</summary>
    public static double NormalQuantile(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Need 0 < p < 1.");
        }

        const double pLow = 0.02425;
        if (p < pLow)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return Tail(q);
        }

        if (p > 1 - pLow)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -Tail(q);
        }

        double r = p - 0.5, s = r * r;
        return (((((-3.969683028665376e+01 * s + 2.209460984245205e+02) * s - 2.759285104469687e+02) * s + 1.383577518672690e+02) * s - 3.066479806614716e+01) * s + 2.506628277459239e+00) * r
            / (((((-5.447609879822406e+01 * s + 1.615858368580409e+02) * s - 1.556989798598866e+02) * s + 6.680131188771972e+01) * s - 1.328068155288572e+01) * s + 1);
    }

    private static double Tail(double q) =>
        (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549671010115149e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
        / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
}
