using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;

namespace MeTAI.Planner.Evaluation;

/// <summary>
/// How much of an ROI a dose grid covers: the ROI is rasterised on the dose grid's lattice (same spacing, orientation
/// and voxel centres) extended to the ROI's whole extent, and the share of its voxels that fall inside the dose grid
/// is the coverage. The voxels inside are exactly those the DVH on the dose grid counts, so a coverage below 100 % is
/// the part of the ROI its DVH leaves out.
/// </summary>
public static class DoseGridCoverage
{
    /// <summary>Percent (0–100) of <paramref name="roi"/>'s volume inside <paramref name="doseGrid"/>; 0 when the ROI holds no voxel centre of the lattice at all.</summary>
    public static double Percent(RtStructureSet structures, RtRoi roi, GridGeometry doseGrid)
    {
        ArgumentNullException.ThrowIfNull(structures);
        ArgumentNullException.ThrowIfNull(roi);
        ArgumentNullException.ThrowIfNull(doseGrid);
        var points = roi.Contours.Where(c => c.IsClosedPlanar).SelectMany(c => c.PointsLps).ToList();
        if (points.Count == 0)
        {
            return 0;
        }

        // The ROI's box in the dose grid's (continuous) indices, widened by a voxel, and along k by half a contour
        // plane spacing (each plane stands for a slab that thick).
        Vec3 lo = new(double.MaxValue, double.MaxValue, double.MaxValue), hi = new(double.MinValue, double.MinValue, double.MinValue);
        foreach (Vec3 p in points)
        {
            Vec3 ijk = doseGrid.LpsToIndex(p);
            lo = new Vec3(Math.Min(lo.X, ijk.X), Math.Min(lo.Y, ijk.Y), Math.Min(lo.Z, ijk.Z));
            hi = new Vec3(Math.Max(hi.X, ijk.X), Math.Max(hi.Y, ijk.Y), Math.Max(hi.Z, ijk.Z));
        }

        double planeMm = structures.ContourPlaneSpacingMm(doseGrid.Direction.Column(2)) ?? doseGrid.SpacingMm.Z;
        int slabVoxels = (int)Math.Ceiling(planeMm / doseGrid.SpacingMm.Z / 2) + 1;
        int i0 = (int)Math.Floor(lo.X) - 1, j0 = (int)Math.Floor(lo.Y) - 1, k0 = (int)Math.Floor(lo.Z) - slabVoxels;
        int i1 = (int)Math.Ceiling(hi.X) + 1, j1 = (int)Math.Ceiling(hi.Y) + 1, k1 = (int)Math.Ceiling(hi.Z) + slabVoxels;
        var box = new GridGeometry(i1 - i0 + 1, j1 - j0 + 1, k1 - k0 + 1, doseGrid.SpacingMm, doseGrid.IndexToLps(i0, j0, k0), doseGrid.Direction);
        VoxelMask mask = structures.ToMask(roi, box);

        long total = 0, inside = 0;
        for (int k = 0; k < box.SizeZ; k++)
        {
            for (int j = 0; j < box.SizeY; j++)
            {
                for (int i = 0; i < box.SizeX; i++)
                {
                    if (mask.Voxels[box.Index(i, j, k)] != 0)
                    {
                        total++;
                        if (doseGrid.Contains(i + i0, j + j0, k + k0))
                        {
                            inside++;
                        }
                    }
                }
            }
        }

        return total == 0 ? 0 : 100.0 * inside / total;
    }
}
