namespace MeTAI.Dosimetry.Analysis;

/// <summary>
/// Batch-method uncertainty of any derived quantity (a PDD point, a field width): evaluate it on every batch's dose
/// and take the standard error of the batch values.
/// </summary>
public static class BatchUncertainty
{
    /// <summary>Mean and standard error of <paramref name="quantity"/> over <paramref name="batchDoses"/>.</summary>
    public static (double Mean, double StandardError) Of(IReadOnlyList<float[]> batchDoses, Func<float[], double> quantity)
    {
        ArgumentNullException.ThrowIfNull(batchDoses);
        ArgumentNullException.ThrowIfNull(quantity);
        int b = batchDoses.Count;
        if (b < 2)
        {
            throw new ArgumentException("Need at least two batches.", nameof(batchDoses));
        }

        double s = 0, s2 = 0;
        foreach (float[] d in batchDoses)
        {
            double q = quantity(d);
            s += q;
            s2 += q * q;
        }

        double mean = s / b;
        double var = Math.Max(0, s2 / b - mean * mean) / (b - 1);
        return (mean, Math.Sqrt(var));
    }
}
