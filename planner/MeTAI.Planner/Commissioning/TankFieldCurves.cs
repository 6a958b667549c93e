using MeTAI.Dosimetry.Commissioning;
using MeTAI.Dosimetry.Water;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// The curves of one <see cref="WaterTankScan"/>: central-axis values average the dose over a square of half-width
/// a = 15 % of the smaller field side (at least half a voxel, at most 25 mm) around the axis, a profile averages
/// across the same band (as <see cref="PointSourceCommissioningModel"/> does, for the same reason: single voxel columns
/// are several percent noisy at the histories a fit affords).
/// </summary>
internal sealed class TankFieldCurves(WaterTankScan scan, double voxelMm) : FieldCurves
{
    private double[]? _offsets;

    private double[] Offsets
    {
        get
        {
            if (_offsets is null)
            {
                double a = Math.Clamp(0.15 * Math.Min(Field.FieldXMm, Field.FieldYMm), voxelMm / 2, 25);
                int n = Math.Max(1, (int)Math.Round(a / voxelMm));
                _offsets = [.. Enumerable.Range(0, 2 * n).Select(i => (i - n + 0.5) * voxelMm)];
            }

            return _offsets;
        }
    }

    /// <inheritdoc/>
    public override SampledCurve DepthDose
    {
        get
        {
            double step = Math.Min(voxelMm, 2.5) / 2;
            int n = (int)Math.Floor(Field.MaxDepthMm / step);
            double[] x = [.. Enumerable.Range(0, n).Select(i => (i + 1) * step)];
            return new SampledCurve(x, [.. x.Select(DosePerMuAt)]);
        }
    }

    /// <inheritdoc/>
    public override SampledCurve Profile(CurveKind kind, double depthMm)
    {
        bool crossline = kind == CurveKind.CrosslineProfile;
        double half = 0.5 * (crossline ? Field.FieldXMm : Field.FieldYMm) * (Field.SsdMm + depthMm) / 1000 + 30;
        int n = (int)Math.Floor(half / (voxelMm / 2));
        double[] x = [.. Enumerable.Range(-n, 2 * n + 1).Select(i => i * voxelMm / 2)];
        double[] v = [.. x.Select(p => Offsets.Average(o => crossline ? scan.DoseAt(depthMm, p, o) : scan.DoseAt(depthMm, o, p)))];
        return new SampledCurve(x, v);
    }

    /// <inheritdoc/>
    public override double DosePerMuAt(double depthMm) => Offsets.Average(i => Offsets.Average(j => scan.DoseAt(depthMm, i, j)));

    /// <inheritdoc/>
    public override double RelativeUncertaintyAt(double depthMm) => scan.RelativeUncertaintyAt(depthMm) / Offsets.Length;
}
