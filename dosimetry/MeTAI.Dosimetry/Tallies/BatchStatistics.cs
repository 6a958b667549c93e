namespace MeTAI.Dosimetry.Tallies;

/// <summary>
/// Batch-method statistics per voxel: after each batch the fixed-point energy tally becomes a per-history dose
/// estimate d_b, and Σd_b, Σd_b² accumulate in preallocated arrays (no allocation per batch). The uncertainty of the
/// mean over B batches is √((⟨d²⟩ − ⟨d⟩²)/(B − 1)).
/// </summary>
public sealed class BatchStatistics
{
    private readonly double[] _sum;
    private readonly double[] _sumSq;
    private readonly double[][] _kept;
    private int _batches;

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
        double inv = 1.0 / histories;
        long total = 0;
        double[]? keep = _batches < _kept.Length ? _kept[_batches] : null;
        for (int n = 0; n < tally.Length; n++)
        {
            long t = tally[n];
            total += t;
            double d = t * gyPerUnit[n] * inv;
            _sum[n] += d;
            _sumSq[n] += d * d;
            if (keep is not null)
            {
                keep[n] = d;
            }
        }

        _batches++;
        return total;
    }

    /// <summary>Mean per-history dose of voxel <paramref name="n"/> (Gy/history).</summary>
    public double Mean(int n) => _batches > 0 ? _sum[n] / _batches : 0;

    /// <summary>Relative 1σ uncertainty of the mean of voxel <paramref name="n"/> (0 when the mean is 0).</summary>
    public double RelativeUncertainty(int n)
    {
        if (_batches < 2 || _sum[n] <= 0)
        {
            return 0;
        }

        double mean = _sum[n] / _batches;
        double var = Math.Max(0, _sumSq[n] / _batches - mean * mean) / (_batches - 1);
        return Math.Sqrt(var) / mean;
    }

    /// <summary>The kept per-history dose of batch <paramref name="k"/>.</summary>
    public double[] BatchDose(int k) => _kept[k];
}
