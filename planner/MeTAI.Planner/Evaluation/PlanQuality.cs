using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Evaluation;

/// <summary>Target quality indices.</summary>
public static class PlanQuality
{
    /// <summary>
    /// Paddick conformity index (Paddick 2000): CI = TV_PIV² / (TV · PIV), with TV the target volume, PIV the volume
    /// (inside <paramref name="body"/>) receiving at least the prescription and TV_PIV the part of the target that does.
    /// 1 is perfect; it falls both for under-covered targets and for dose spilling outside.
    /// </summary>
    public static double PaddickConformityIndex(ReadOnlySpan<float> doseGy, VoxelMask target, VoxelMask body, double prescriptionGy)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(body);
        long tv = 0, piv = 0, tvPiv = 0;
        byte[] t = target.Voxels, b = body.Voxels;
        for (int n = 0; n < t.Length; n++)
        {
            bool inT = t[n] != 0;
            bool hot = doseGy[n] >= prescriptionGy;
            tv += inT ? 1 : 0;
            piv += hot && (b[n] != 0 || inT) ? 1 : 0;
            tvPiv += hot && inT ? 1 : 0;
        }

        return tv > 0 && piv > 0 ? (double)tvPiv * tvPiv / ((double)tv * piv) : 0;
    }

    /// <summary>Homogeneity index (ICRU 83): HI = (D2 − D98) / D50; 0 is perfectly homogeneous.</summary>
    public static double HomogeneityIndex(StructureDose target)
    {
        ArgumentNullException.ThrowIfNull(target);
        double d50 = target.DoseAtVolumePercent(50);
        return d50 > 0 ? (target.DoseAtVolumePercent(2) - target.DoseAtVolumePercent(98)) / d50 : 0;
    }
}
