using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Dosimetry.Water;

/// <summary>
/// The dose a <see cref="WaterTankSimulator"/> computed for one field, with the scans a tank takes from it. Doses are
/// Gy per MU when the model is calibrated, else Gy per unit focal fluence (1 particle/cm² on the axis at the
/// isocentre): either way proportional to MU, so ratios between fields (output factors) hold. Positions are mm: depth
/// below the water surface along the central axis; off-axis positions in the depth plane (not projected to the
/// isocentre). Values are trilinear interpolations of the voxel doses (each voxel the mean over its volume).
/// </summary>
public sealed class WaterTankScan
{
    internal WaterTankScan(WaterTankField field, DoseResult result, bool calibrated)
    {
        Field = field;
        Result = result;
        IsPerMu = calibrated;
    }

    /// <summary>The field.</summary>
    public WaterTankField Field { get; }

    /// <summary>The Monte Carlo result (dose grid, relative uncertainty per voxel, histories, time).</summary>
    public DoseResult Result { get; }

    /// <summary>True when doses are Gy per MU (the model is calibrated).</summary>
    public bool IsPerMu { get; }

    private GridGeometry Grid => Result.Dose.Geometry;

    /// <summary>Dose at <paramref name="depthMm"/> below the surface, <paramref name="crosslineMm"/>/<paramref name="inlineMm"/> off axis.</summary>
    public double DoseAt(double depthMm, double crosslineMm = 0, double inlineMm = 0) =>
        GridSampling.TrilinearClamped(Grid, Result.Dose.Data, new Vec3(crosslineMm, depthMm, inlineMm));

    /// <summary>Relative (1σ) statistical uncertainty of the voxel nearest the point.</summary>
    public double RelativeUncertaintyAt(double depthMm, double crosslineMm = 0, double inlineMm = 0) =>
        Grid.TryNearestVoxel(new Vec3(crosslineMm, depthMm, inlineMm), out int i, out int j, out int k) ? Result.RelativeUncertainty.Data[Grid.Index(i, j, k)] : double.NaN;

    /// <summary>Central-axis depth dose from half a step below the surface to the tank depth, every <paramref name="stepMm"/>.</summary>
    public DepthDoseCurve DepthDose(double stepMm = 1.0) =>
        DepthDoseCurve.Sample(Grid, Result.Dose.Data, Vector(0, 0), new Vec3(0, 1, 0), stepMm, Grid.ExtentMm.Y - stepMm);

    /// <summary>Profile at <paramref name="depthMm"/> along <paramref name="axis"/>, ±<paramref name="halfWidthMm"/> (default: the tank), every <paramref name="stepMm"/>.</summary>
    public DoseProfile Profile(double depthMm, ProfileAxis axis, double stepMm = 1.0, double? halfWidthMm = null)
    {
        Vec3 dir = axis == ProfileAxis.Crossline ? new Vec3(1, 0, 0) : new Vec3(0, 0, 1);
        double half = halfWidthMm ?? (axis == ProfileAxis.Crossline ? Grid.ExtentMm.X : Grid.ExtentMm.Z) / 2 - stepMm;
        return DoseProfile.Sample(Grid, Result.Dose.Data, Vector(depthMm, 0), dir, half, stepMm);
    }

    private static Vec3 Vector(double depthMm, double crosslineMm) => new(crosslineMm, depthMm, 0);
}
