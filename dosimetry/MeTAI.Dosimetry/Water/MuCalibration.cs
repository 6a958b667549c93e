using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Dosimetry.Water;

/// <summary>
/// Derives a model's MU calibration (focal photons per cm² on the axis at the isocentre per MU) under its
/// <see cref="ReferenceCondition"/> (docs/beam-model.md "Absolute dose"): the dose per unit focal fluence on the
/// central axis (mean over the central 3 × 3 cm² of 5 mm voxels) at the reference depth of the reference field, set up
/// at SSD = SAD (SSD set-up) or with the reference point at the isocentre (SAD set-up; for "dmax" the surface is placed
/// 15 mm above the isocentre and the dose read at the dmax found), turned into the fluence that gives the reference
/// dose per MU. Output factors then come out of the model (Sc × Sp): nothing else is scaled per field.
/// </summary>
public static class MuCalibration
{
    /// <summary>The tank of the calibration run: 5 mm voxels, 300 mm deep.</summary>
    public static WaterTankOptions TankOptions { get; } = new() { CrosslineVoxelMm = 5, InlineVoxelMm = 5, DepthVoxelMm = 5, TankDepthMm = 300, LateralMarginMm = 50 };

    /// <summary>Runs <paramref name="histories"/> histories of the reference field and returns the calibration.</summary>
    public static MuCalibrationResult Derive(BeamModel model, MonteCarloEngine engine, long histories, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ReferenceCondition rc = model.Reference;
        BeamModel bare = model with { FluencePerMuPerCm2 = null };
        var tank = new WaterTankSimulator(bare, engine, TankOptions);
        double ssd = rc.IsSad ? model.SadMm - (rc.DepthMm ?? 15) : model.SadMm;
        WaterTankScan scan = tank.Simulate(WaterTankField.Square(rc.FieldSizeMm, ssd), histories, seed);
        (double[] depth, double[] dose, double[] sigma) = CentralAxis(scan);
        var curve = new DepthDoseCurve(depth, dose);
        double refDepth = rc.DepthMm ?? curve.DmaxMm;
        double doseRef = curve.Interpolate(refDepth);
        int nearest = Array.FindIndex(depth, d => d >= refDepth - 2.5);
        double rel = sigma[Math.Clamp(nearest, 0, sigma.Length - 1)];
        double fluence = rc.CGyPerMu / 100 / doseRef;
        return new MuCalibrationResult(fluence, rel, refDepth, doseRef, scan.Result.Histories, ssd, rc);
    }

    // Mean over the central 6 × 6 voxels (3 × 3 cm²) per depth voxel, with the uncertainty of that mean.
    private static (double[] Depth, double[] Dose, double[] Sigma) CentralAxis(WaterTankScan scan)
    {
        Core.Voxels.GridGeometry g = scan.Result.Dose.Geometry;
        float[] d = scan.Result.Dose.Data, u = scan.Result.RelativeUncertainty.Data;
        int cx = g.SizeX / 2, cz = g.SizeZ / 2;
        var depth = new double[g.SizeY];
        var dose = new double[g.SizeY];
        var sigma = new double[g.SizeY];
        for (int j = 0; j < g.SizeY; j++)
        {
            double s = 0, v = 0;
            int n = 0;
            for (int k = cz - 3; k <= cz + 2; k++)
            {
                for (int i = cx - 3; i <= cx + 2; i++)
                {
                    int idx = g.Index(i, j, k);
                    s += d[idx];
                    v += Math.Pow(d[idx] * u[idx], 2);
                    n++;
                }
            }

            depth[j] = (j + 0.5) * g.SpacingMm.Y;
            dose[j] = s / n;
            sigma[j] = s > 0 ? Math.Sqrt(v) / s : 0;
        }

        return (depth, dose, sigma);
    }
}
