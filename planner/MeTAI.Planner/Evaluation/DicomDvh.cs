using System.Globalization;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Planner.Evaluation;

/// <summary>
/// DVH metrics from DICOM files alone: every ROI of an RTSTRUCT with closed planar contours is rasterised onto the
/// RTDOSE grid (voxel centres inside the contour of their plane, as dicompyler-core does at dose-grid points) and the
/// dose of its voxels summarised (<see cref="StructureDose"/>). The files must belong together (same patient, study and
/// frame of reference, <see cref="CaseConsistency"/>), the dose grid must cover each ROI (<see cref="DoseGridCoverage"/>,
/// 99 % by default), and Dose Units (3004,0002) must be GY or RELATIVE; relative doses are reported as relative, never
/// as Gy. Refusals can be turned into warnings (<see cref="DicomDvhOptions"/>).
/// </summary>
public static class DicomDvh
{
    /// <summary>Dose Units (3004,0002) of a dose in gray.</summary>
    public const string GrayUnits = "GY";

    /// <summary>Dose Units (3004,0002) of a dose relative to an implicit reference.</summary>
    public const string RelativeUnits = "RELATIVE";

    /// <summary>One ROI's result.</summary>
    /// <param name="Name">ROI name.</param>
    /// <param name="Number">ROI number.</param>
    /// <param name="Metrics">Volume and dose metrics (in the dose's units: Gy, or relative for a RELATIVE dose).</param>
    /// <param name="Dvh">Cumulative DVH (0.01 Gy bins; a thousandth of the maximum for relative doses).</param>
    public sealed record RoiDvh(string Name, int Number, StructureMetrics Metrics, Dvh Dvh)
    {
        /// <summary>Share of the ROI's volume inside the dose grid, percent (the DVH counts only that part).</summary>
        public double CoveragePercent { get; init; } = 100;
    }

    /// <summary>Metrics of every ROI (or those named in <paramref name="roiNames"/>), refusing what the default <see cref="DicomDvhOptions"/> refuse.</summary>
    /// <exception cref="KeyNotFoundException">A named ROI is missing (the message lists the ROIs).</exception>
    /// <exception cref="CaseInconsistentException">The dose is of another patient, study or frame of reference.</exception>
    /// <exception cref="InvalidOperationException">The dose grid covers an ROI less than 99 %, or the dose units are neither GY nor RELATIVE.</exception>
    public static IReadOnlyList<RoiDvh> Compute(string rtstructPath, string rtdosePath, IReadOnlyCollection<string>? roiNames = null) =>
        Evaluate(rtstructPath, rtdosePath, roiNames, new DicomDvhOptions()).Rois;

    /// <summary>The DVH metrics of an RTSTRUCT on an RTDOSE, checked as the class says; warnings also go to <paramref name="log"/>.</summary>
    public static DicomDvhReport Evaluate(string rtstructPath, string rtdosePath, IReadOnlyCollection<string>? roiNames, DicomDvhOptions options, TextWriter? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rtstructPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(rtdosePath);
        ArgumentNullException.ThrowIfNull(options);
        string ssPath = Path.GetFullPath(rtstructPath), dosePath = Path.GetFullPath(rtdosePath);
        RtStructureSet ss = RtStructureSetReader.Read(ssPath);
        RtDose dose = RtDoseReader.Read(dosePath);
        if (dose.DoseUnits is not (GrayUnits or RelativeUnits))
        {
            throw new InvalidOperationException($"{dosePath}: Dose Units (3004,0002) '{dose.DoseUnits}' is neither GY nor RELATIVE; its values cannot be reported.");
        }

        var warnings = new List<string>(CaseConsistency.Enforce(
            new CaseObjects { StructureSet = ss, StructureSetFile = ssPath, Dose = dose, DoseFile = dosePath }, options.Consistency, log));
        IReadOnlyList<RoiDvh> rois = Compute(ss, dose.Dose, roiNames, dose.DoseUnits == RelativeUnits ? null : 0.01);
        List<RoiDvh> partial = [.. rois.Where(r => r.CoveragePercent < options.MinCoveragePercent)];
        if (partial.Count > 0)
        {
            string what = string.Join("; ", partial.Select(r => string.Create(CultureInfo.InvariantCulture, $"ROI '{r.Name}' is {r.CoveragePercent:0.0} % inside it")));
            if (!options.AllowPartial)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The dose grid of {dosePath} does not cover the ROIs of {ssPath}: {what} ({options.MinCoveragePercent:0.#} % needed; a DVH would leave the rest out). {options.AllowPartialOption} reports them anyway, with a warning."));
            }

            foreach (RoiDvh r in partial)
            {
                string text = string.Create(CultureInfo.InvariantCulture, $"ROI '{r.Name}': the dose grid covers {r.CoveragePercent:0.0} % of it; its DVH is of that part only (accepted by {options.AllowPartialOption})");
                warnings.Add(text);
                log?.WriteLine("warning: " + text);
            }
        }

        return new DicomDvhReport(rois, dose.DoseUnits, dose.DoseType, warnings);
    }

    /// <summary>Metrics and dose-grid coverage of the structure set's ROIs on <paramref name="dose"/> (nothing refused here).</summary>
    /// <param name="structures">The structure set.</param>
    /// <param name="dose">The dose grid.</param>
    /// <param name="roiNames">Only these ROIs (null or empty: every ROI with closed planar contours).</param>
    /// <param name="binWidth">DVH bin width in the dose's units; null for a thousandth of the largest dose.</param>
    public static IReadOnlyList<RoiDvh> Compute(RtStructureSet structures, VoxelGrid<float> dose, IReadOnlyCollection<string>? roiNames = null, double? binWidth = 0.01)
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

        double bin = binWidth ?? Math.Max(1e-6, dose.Data.Length == 0 ? 1 : dose.Data.Max() / 1000.0);
        var list = new List<RoiDvh>();
        foreach (RtRoi roi in structures.Rois)
        {
            if (roi.ClosedPlanarCount == 0 || (roiNames is { Count: > 0 } && !roiNames.Any(n => structures.FindRoi(n) == roi)))
            {
                continue;
            }

            VoxelMask mask = structures.ToMask(roi, dose.Geometry);
            var sd = new StructureDose(roi.Name, dose.Data, mask);
            list.Add(new RoiDvh(roi.Name, roi.Number, sd.Metrics(), Dvh.From(sd, bin)) { CoveragePercent = DoseGridCoverage.Percent(structures, roi, dose.Geometry) });
        }

        return list;
    }
}
