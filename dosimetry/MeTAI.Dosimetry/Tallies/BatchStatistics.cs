namespace MeTAI.Dosimetry.Tallies;

/// <summary>
/// Batch-method statistics per voxel: after each batch the fixed-point energy tally becomes a per-history dose
/// estimate d_b, and Σw_b·d_b, Σw_b·d_b² accumulate in preallocated arrays (no allocation per batch). Batches may differ
/// in size (a run to a target uncertainty sizes them as it goes): w_b = n_b / n_1 weighs each batch by its histories
/// (1 for every batch of an equal split, which reproduces the unweighted sums bit for bit). With W = Σw_b the mean is
/// ⟨d⟩ = Σw_b·d_b / W and its uncertainty √((Σw_b·d_b²/W − ⟨d⟩²)/(B − 1)), the standard batch estimate for unequal
/// batches (B − 1 degrees of freedom).
/// </summary>
public sealed class BatchStatistics
{
    private readonly double[] _sum;
    private readonly double[] _sumSq;
    private readonly double[][] _kept;
    private int _batches;
    private long _firstBatchHistories;
    private double _weightSum;

    /// <summary>Statistics for <paramref name="voxels"/> voxels, keeping up to <paramref name="keepBatches"/> batch grids.</summary>
    public BatchStatistics(int voxels, int keepBatches = 0)
    {
        _sum = new double[voxels];
        _sumSq = new double[voxels];
        _kept = new double[keepBatches][];
        for (int k = 0; k < keepBatches; k++)
        {
            _kept[k] = new double[voxels];
        }
    }

    /// <summary>Batches added so far.</summary>
    public int Batches => _batches;

    /// <summary>
    /// Adds a batch: <paramref name="tally"/> in fixed-point units, <paramref name="gyPerUnit"/> per voxel, normalised
    /// per history over <paramref name="histories"/>. Returns the batch's total tally (fixed-point units).
    /// </summary>
    public long AddBatch(long[] tally, double[] gyPerUnit, long histories)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(gyPerUnit);
        ArgumentOutOfRangeException.ThrowIfLessThan(histories, 1);
        double inv = 1.0 / histories;
        double w = Weight(histories);
        long total = 0;
        double[]? keep = _batches < _kept.Length ? _kept[_batches] : null;
        for (int n = 0; n < tally.Length; n++)
        {
            long t = tally[n];
            total += t;
            double d = t * gyPerUnit[n] * inv;
            _sum[n] += w * d;
            _sumSq[n] += w * d * d;
            if (keep is not null)
            {
                keep[n] = d;
            }
        }

        _batches++;
        _weightSum += w;
        return total;
    }

    /// <summary>Adds a batch given as per-history dose per voxel (<paramref name="dosePerHistory"/>) of <paramref name="histories"/> histories.</summary>
    public void AddBatch(ReadOnlySpan<double> dosePerHistory, long histories)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(histories, 1);
        if (dosePerHistory.Length != _sum.Length)
        {
            throw new ArgumentException($"The batch has {dosePerHistory.Length} voxels, the statistics {_sum.Length}.", nameof(dosePerHistory));
        }

        double w = Weight(histories);
        double[]? keep = _batches < _kept.Length ? _kept[_batches] : null;
        for (int n = 0; n < dosePerHistory.Length; n++)
        {
            double d = dosePerHistory[n];
            _sum[n] += w * d;
            _sumSq[n] += w * d * d;
            if (keep is not null)
            {
                keep[n] = d;
            }
        }

        _batches++;
        _weightSum += w;
    }

    // The batch's weight relative to the first batch (exactly 1 for equal batches).
    private double Weight(long histories)
    {
        if (_batches == 0)
        {
            _firstBatchHistories = histories;
            return 1.0;
        }

        return histories == _firstBatchHistories ? 1.0 : (double)histories / _firstBatchHistories;
    }

    /// <summary>Mean per-history dose of voxel <paramref name="n"/> (Gy/history).</summary>
    public double Mean(int n) => _batches > 0 ? _sum[n] / _weightSum : 0;

    /// <summary>Relative 1σ uncertainty of the mean of voxel <paramref name="n"/> (0 when the mean is 0).</summary>
    public double RelativeUncertainty(int n)
    {
        if (_batches < 2 || _sum[n] <= 0)
        {
            return 0;
        }

        double mean = _sum[n] / _weightSum;
        double var = Math.Max(0, _sumSq[n] / _weightSum - mean * mean) / (_batches - 1);
        return Math.Sqrt(var) / mean;
    }

    /// <summary>
    /// Mean relative uncertainty over a region, the statistic a run to a target uncertainty stops on: the voxels of
    /// <paramref name="roi"/> (non-zero entries) when given, else those whose scaled mean (mean × <paramref name="scale"/>)
    /// exceeds half the maximum over voxels of density ≥ <paramref name="minDensityGPerCm3"/>; only voxels of at least
    /// that density count. Two passes over the grid, no allocation. 0 when the region is empty.
    /// </summary>
    public double MeanRelativeUncertainty(double[] scale, float[] densityGPerCm3, double minDensityGPerCm3, byte[]? roi = null)
    {
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(densityGPerCm3);
        double threshold = 0;
        if (roi is null)
        {
            double max = 0;
            for (int n = 0; n < _sum.Length; n++)
            {
                if (densityGPerCm3[n] >= minDensityGPerCm3)
                {
                    max = Math.Max(max, _sum[n] * scale[n]);
                }
            }

            threshold = 0.5 * max;
        }

        double sum = 0;
        int count = 0;
        for (int n = 0; n < _sum.Length; n++)
        {
            bool inRegion = roi is null ? _sum[n] * scale[n] > threshold : roi[n] != 0;
            if (inRegion && densityGPerCm3[n] >= minDensityGPerCm3)
            {
                sum += RelativeUncertainty(n);
                count++;
            }
        }

        return count > 0 ? sum / count : 0;
    }

    /// <summary>The kept per-history dose of batch <paramref name="k"/>.</summary>
    public double[] BatchDose(int k) => _kept[k];
}
