using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Evaluation;

/// <summary>
/// The doses of one structure's voxels, sorted from hottest to coldest, with the DVH metrics read from them
/// (voxel-based: every voxel whose centre is inside counts with the voxel's full volume).
/// <list type="bullet">
/// <item>Dx = the dose of the k-th hottest voxel with k = ⌈x/100 · N⌉: at least x % of the volume receives ≥ Dx.</item>
/// <item>Dxcc the same with k = ⌈x / voxel volume⌉; Vx = % of voxels with dose ≥ x.</item>
/// </list>
/// </summary>
public sealed class StructureDose
{
    private readonly float[] _descending;

    /// <summary>Doses of the voxels of <paramref name="mask"/> in <paramref name="doseGy"/> (one value per grid voxel).</summary>
    public StructureDose(string name, ReadOnlySpan<float> doseGy, VoxelMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        Name = name;
        var list = new List<float>();
        byte[] v = mask.Voxels;
        for (int n = 0; n < v.Length; n++)
        {
            if (v[n] != 0)
            {
                list.Add(doseGy[n]);
            }
        }

        _descending = [.. list];
        Array.Sort(_descending);
        Array.Reverse(_descending);
        VoxelVolumeCc = mask.Geometry.VoxelVolumeCc;
    }

    /// <summary>Structure name.</summary>
    public string Name { get; }

    /// <summary>Number of voxels.</summary>
    public int Count => _descending.Length;

    /// <summary>Volume of one voxel, cm³.</summary>
    public double VoxelVolumeCc { get; }

    /// <summary>Volume, cm³.</summary>
    public double VolumeCc => Count * VoxelVolumeCc;

    /// <summary>Doses sorted hottest first.</summary>
    public ReadOnlySpan<float> Descending => _descending;

    /// <summary>Minimum dose, Gy.</summary>
    public double MinGy => Count > 0 ? _descending[^1] : 0;

    /// <summary>Maximum dose, Gy.</summary>
    public double MaxGy => Count > 0 ? _descending[0] : 0;

    /// <summary>Mean dose, Gy.</summary>
    public double MeanGy
    {
        get
        {
            double s = 0;
            foreach (float d in _descending)
            {
                s += d;
            }

            return Count > 0 ? s / Count : 0;
        }
    }

    /// <summary>Dx: dose received by at least <paramref name="volumePercent"/> % of the volume, Gy.</summary>
    public double DoseAtVolumePercent(double volumePercent)
    {
        if (Count == 0)
        {
            return 0;
        }

        int k = (int)Math.Ceiling(volumePercent / 100.0 * Count - 1e-9);
        return _descending[Math.Clamp(k, 1, Count) - 1];
    }

    /// <summary>Dxcc: dose received by the hottest <paramref name="volumeCc"/> cm³, Gy.</summary>
    public double DoseAtVolumeCc(double volumeCc)
    {
        if (Count == 0)
        {
            return 0;
        }

        int k = (int)Math.Ceiling(volumeCc / VoxelVolumeCc - 1e-9);
        return _descending[Math.Clamp(k, 1, Count) - 1];
    }

    /// <summary>Vx: percent of the volume receiving at least <paramref name="doseGy"/> Gy.</summary>
    public double VolumePercentAtDose(double doseGy)
    {
        if (Count == 0)
        {
            return 0;
        }

        // Binary search in the descending array for the first dose below the threshold.
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (_descending[mid] >= doseGy)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return 100.0 * lo / Count;
    }

    /// <summary>The value of <paramref name="metric"/> (Gy for dose metrics, % for volume metrics).</summary>
    public double Value(DoseMetric metric, double prescriptionGy) => metric.Kind switch
    {
        DoseMetricKind.DoseAtVolumePercent => DoseAtVolumePercent(metric.Parameter),
        DoseMetricKind.DoseAtVolumeCc => DoseAtVolumeCc(metric.Parameter),
        DoseMetricKind.Mean => MeanGy,
        DoseMetricKind.Max => MaxGy,
        DoseMetricKind.Min => MinGy,
        DoseMetricKind.VolumeAtDoseGy => VolumePercentAtDose(metric.Parameter),
        DoseMetricKind.VolumeAtDosePercent => VolumePercentAtDose(metric.Parameter / 100 * prescriptionGy),
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    /// <summary>The standard metrics set of report.json.</summary>
    public StructureMetrics Metrics() => new()
    {
        VolumeCc = VolumeCc,
        MinGy = MinGy,
        MeanGy = MeanGy,
        MaxGy = MaxGy,
        D2Gy = DoseAtVolumePercent(2),
        D5Gy = DoseAtVolumePercent(5),
        D50Gy = DoseAtVolumePercent(50),
        D95Gy = DoseAtVolumePercent(95),
        D98Gy = DoseAtVolumePercent(98),
    };
}
