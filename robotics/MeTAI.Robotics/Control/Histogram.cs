using System.Diagnostics;

namespace MeTAI.Robotics.Control;

/// <summary>
/// Fixed-bin histogram of durations in microseconds (one writer thread; read after the writer stops or accept a
/// slightly stale view). Percentiles are bin upper edges; the maximum is exact. Allocation-free recording.
/// </summary>
public sealed class Histogram
{
    private readonly long[] _bins;
    private readonly double _binUs;
    private long _count;
    private double _maxUs;
    private double _sumUs;

    /// <summary>Creates a histogram of <paramref name="maxUs"/>/<paramref name="binUs"/> bins plus an overflow bin.</summary>
    public Histogram(double maxUs = 20_000, double binUs = 1)
    {
        if (!(binUs > 0) || !(maxUs > binUs))
        {
            throw new ArgumentException("Need 0 < binUs < maxUs.");
        }

        _binUs = binUs;
        _bins = new long[(int)Math.Ceiling(maxUs / binUs) + 1];
    }

    /// <summary>Samples recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Largest sample (µs).</summary>
    public double MaxUs => _maxUs;

    /// <summary>Mean (µs).</summary>
    public double MeanUs => _count == 0 ? 0 : _sumUs / _count;

    /// <summary>Records a sample in microseconds (negative values count as 0).</summary>
    public void Record(double us)
    {
        if (!(us > 0))
        {
            us = 0;
        }

        int bin = (int)Math.Min(_bins.Length - 1, us / _binUs);
        _bins[bin]++;
        _sumUs += us;
        if (us > _maxUs)
        {
            _maxUs = us;
        }

        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Records a Stopwatch tick duration.</summary>
    public void RecordTicks(long ticks) => Record(ticks * 1e6 / Stopwatch.Frequency);

    /// <summary>The <paramref name="fraction"/> quantile (0…1) in µs: the upper edge of its bin, capped by the maximum.</summary>
    public double Percentile(double fraction)
    {
        long n = Count;
        if (n == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(fraction * n);
        long seen = 0;
        for (int i = 0; i < _bins.Length; i++)
        {
            seen += _bins[i];
            if (seen >= rank)
            {
                return Math.Min((i + 1) * _binUs, _maxUs);
            }
        }

        return _maxUs;
    }

    /// <summary>Bin width (µs).</summary>
    public double BinUs => _binUs;

    /// <summary>A copy of the bin counts (bin i covers [i·BinUs, (i+1)·BinUs); the last one is the overflow bin).</summary>
    public long[] SnapshotBins() => (long[])_bins.Clone();

    /// <summary>Forgets every sample.</summary>
    public void Reset()
    {
        Array.Clear(_bins);
        _count = 0;
        _maxUs = 0;
        _sumUs = 0;
    }
}
