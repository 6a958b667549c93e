using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Planner.Evaluation;

/// <summary>
/// DVH metrics from DICOM files alone: every ROI of an RTSTRUCT with closed planar contours is rasterised onto the
/// RTDOSE grid (voxel centres inside the contour of their plane, as dicompyler-core does at dose-grid points) and the
/// dose of its voxels summarised (<see cref="StructureDose"/>).
/// </summary>
public static class DicomDvh
{
    /// <summary>One ROI's result.</summary>
    /// <param name="Name">ROI name.</param>
    /// <param name="Number">ROI number.</param>
    /// <param name="Metrics">Volume and dose metrics.</param>
    /// <param name="Dvh">Cumulative DVH (0.01 Gy bins).</param>
    public sealed record RoiDvh(string Name, int Number, StructureMetrics Metrics, Dvh Dvh);

    /// <summary>Metrics of every ROI (or those named in <paramref name="roiNames"/>).</summary>
    /// <exception cref="KeyNotFoundException">A named ROI is missing (the message lists the ROIs).</exception>
    public static IReadOnlyList<RoiDvh> Compute(string rtstructPath, string rtdosePath, IReadOnlyCollection<string>? roiNames = null)
    {
        RtStructureSet ss = RtStructureSetReader.Read(rtstructPath);
        RtDose dose = RtDoseReader.Read(rtdosePath);
        return Compute(ss, dose.Dose, roiNames);
    }

    /// <summary>Metrics of the structure set's ROIs on <paramref name="dose"/>.</summary>
    public static IReadOnlyList<RoiDvh> Compute(RtStructureSet structures, VoxelGrid<float> dose, IReadOnlyCollection<string>? roiNames = null)
    {
        ArgumentNullException.ThrowIfNull(structures);
        ArgumentNullException.ThrowIfNull(dose);
        if (roiNames is { Count: > 0 })
        {
            foreach (string n in roiNames)
            {
                if (structures.FindRoi(n) is null)
                {
                    throw new KeyNotFoundException($"ROI '{n}' is not in the structure set. ROIs: {string.Join(", ", structures.Rois.Select(r => r.Name))}.");
                }
            }
        }

        var list = new List<RoiDvh>();
        foreach (RtRoi roi in structures.Rois)
        {
            if (roi.ClosedPlanarCount == 0 || (roiNames is { Count: > 0 } && !roiNames.Any(n => structures.FindRoi(n) == roi)))
            {
                continue;
            }

            VoxelMask mask = structures.ToMask(roi, dose.Geometry);
            var sd = new StructureDose(roi.Name, dose.Data, mask);
            list.Add(new RoiDvh(roi.Name, roi.Number, sd.Metrics(), Dvh.From(sd, 0.01)));
        }

        return list;
    }
}
