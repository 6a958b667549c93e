using System.Globalization;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;

namespace MeTAI.Service.Plans;

/// <summary>One structure's cumulative DVH as the API returns it.</summary>
/// <param name="Name">ROI name.</param>
/// <param name="InterpretedType">RT ROI Interpreted Type (PTV, ORGAN, EXTERNAL, …).</param>
/// <param name="Color">Display colour, <c>#rrggbb</c>.</param>
/// <param name="VolumeCc">Volume on the dose grid, cm³.</param>
/// <param name="MeanGy">Mean dose.</param>
/// <param name="MaxGy">Maximum dose.</param>
/// <param name="VolumePercent">Percentage of the volume receiving at least bin b's dose (b · binGy).</param>
public sealed record DvhCurve(string Name, string InterpretedType, string Color, double VolumeCc, double MeanGy, double MaxGy, double[] VolumePercent);

/// <summary>Cumulative DVHs of every ROI, read back from the plan's files.</summary>
/// <param name="DoseUnit">Always Gy.</param>
/// <param name="BinGy">Bin width.</param>
/// <param name="MaxDoseGy">Largest dose in any structure.</param>
/// <param name="Structures">One curve per ROI with closed planar contours.</param>
public sealed record DvhSet(string DoseUnit, double BinGy, double MaxDoseGy, IReadOnlyList<DvhCurve> Structures);

/// <summary>
/// DVHs from DICOM files alone (RTSTRUCT + RTDOSE): each ROI's closed planar contours are rasterised onto the dose
/// grid (voxel centres inside the contour of their plane) and the dose of its voxels binned into a cumulative
/// histogram. Independent of the runner that wrote the files.
/// </summary>
public static class DvhCalculator
{
    /// <summary>Number of bins from 0 to the maximum dose.</summary>
    public const int Bins = 200;

    /// <summary>DVHs of the ROIs in <paramref name="rtstructPath"/> on the dose in <paramref name="rtdosePath"/>.</summary>
    public static DvhSet FromFiles(string rtstructPath, string rtdosePath)
    {
        RtStructureSet ss = RtStructureSetReader.Read(rtstructPath);
        RtDose dose = RtDoseReader.Read(rtdosePath);
        return Compute(ss, dose.Dose);
    }

    /// <summary>DVHs of the structure set's ROIs on <paramref name="dose"/>.</summary>
    public static DvhSet Compute(RtStructureSet structures, VoxelGrid<float> dose)
    {
        ArgumentNullException.ThrowIfNull(structures);
        ArgumentNullException.ThrowIfNull(dose);
        // The histogram spans the structures' doses: Monte Carlo dose in the air around a patient can be far higher
        // (little mass per deposit) and would squeeze every curve into the first bins.
        var doses = new List<(RtRoi Roi, StructureDose Dose)>();
        foreach (RtRoi roi in structures.Rois.Where(r => r.ClosedPlanarCount > 0))
        {
            doses.Add((roi, new StructureDose(structures.ToMask(roi, dose.Geometry), dose.Data)));
        }

        double max = doses.Count > 0 ? doses.Max(d => d.Dose.MaxGy) : 0;
        double bin = max > 0 ? NiceBin(max / Bins) : 0.01;
        int bins = (int)Math.Ceiling(max / bin) + 2;
        var curves = new List<DvhCurve>();
        foreach ((RtRoi roi, StructureDose sd) in doses)
        {
            var v = new double[bins];
            for (int b = 0; b < bins; b++)
            {
                v[b] = Math.Round(sd.VolumePercentAtDose(b * bin), 4);
            }

            string color = roi.Color is { } c ? string.Create(CultureInfo.InvariantCulture, $"#{c.R:x2}{c.G:x2}{c.B:x2}") : "#888888";
            curves.Add(new DvhCurve(roi.Name, roi.InterpretedType, color, Math.Round(sd.VolumeCc, 3), Math.Round(sd.MeanGy, 4), Math.Round(sd.MaxGy, 4), v));
        }

        return new DvhSet("Gy", bin, max, curves);
    }

    // 1, 2 or 5 × 10^n, at least the raw width.
    private static double NiceBin(double raw)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (double m in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (m * p >= raw)
            {
                return m * p;
            }
        }

        return 10 * p;
    }
}
