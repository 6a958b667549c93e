using MeTAI.Core.Voxels;

namespace MeTAI.Service.Plans;

/// <summary>
/// The doses of one structure's voxels, sorted from hottest to coldest: the basis of its DVH and dose metrics.
/// Every voxel counts with equal volume (the grids here are regular).
/// </summary>
public sealed class StructureDose
{
    private readonly float[] _descending;

    /// <summary>Collects the dose of the voxels of <paramref name="mask"/> (dose and mask on the same grid).</summary>
    public StructureDose(VoxelMask mask, float[] doseGy)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(doseGy);
        if (doseGy.Length != mask.Voxels.Length)
        {
            throw new ArgumentException($"Structure '{mask.Name}' and the dose are on different grids.", nameof(doseGy));
        }

        var values = new List<float>(mask.Count);
        byte[] m = mask.Voxels;
        for (int n = 0; n < m.Length; n++)
        {
            if (m[n] != 0)
            {
                values.Add(doseGy[n]);
            }
        }

        _descending = [.. values];
        Array.Sort(_descending);
        Array.Reverse(_descending);
        Name = mask.Name;
        VolumeCc = _descending.Length * mask.Geometry.VoxelVolumeCc;
        VoxelVolumeCc = mask.Geometry.VoxelVolumeCc;
    }

    /// <summary>Structure name.</summary>
    public string Name { get; }

    /// <summary>Volume, cm³.</summary>
    public double VolumeCc { get; }

    /// <summary>Volume of one voxel, cm³.</summary>
    public double VoxelVolumeCc { get; }

    /// <summary>Number of voxels.</summary>
    public int Count => _descending.Length;

    /// <summary>Highest dose, Gy (0 for an empty structure).</summary>
    public double MaxGy => Count > 0 ? _descending[0] : 0;

    /// <summary>Lowest dose, Gy.</summary>
    public double MinGy => Count > 0 ? _descending[^1] : 0;

    /// <summary>Mean dose, Gy.</summary>
    public double MeanGy
    {
        get
        {
            double sum = 0;
            foreach (float d in _descending)
            {
                sum += d;
            }

            return Count > 0 ? sum / Count : 0;
        }
    }

    /// <summary>D<sub>v</sub>: the least dose received by the hottest <paramref name="volumePercent"/> % of the volume.</summary>
    public double DoseAtVolumePercent(double volumePercent)
    {
        if (Count == 0)
        {
            return 0;
        }

        int n = (int)Math.Ceiling(Math.Clamp(volumePercent, 0, 100) / 100 * Count);
        return _descending[Math.Clamp(n - 1, 0, Count - 1)];
    }

    /// <summary>D<sub>cc</sub>: the least dose received by the hottest <paramref name="volumeCc"/> cm³.</summary>
    public double DoseAtVolumeCc(double volumeCc)
    {
        if (Count == 0)
        {
            return 0;
        }

        int n = (int)Math.Ceiling(volumeCc / VoxelVolumeCc);
        return _descending[Math.Clamp(n - 1, 0, Count - 1)];
    }

    /// <summary>V<sub>d</sub>: the percentage of the volume receiving at least <paramref name="doseGy"/>.</summary>
    public double VolumePercentAtDose(double doseGy)
    {
        if (Count == 0)
        {
            return 0;
        }

        // _descending is sorted high → low: count the leading values ≥ doseGy by binary search.
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
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
}
