namespace MeTAI.Planner.Evaluation;

/// <summary>
/// What <see cref="DicomDvh.Evaluate"/> found: per ROI its metrics and how much of it the dose grid covers; the dose's
/// units (<c>GY</c>, or <c>RELATIVE</c>: values relative to an implicit reference, which are never reported as Gy); and
/// the warnings (accepted mismatches, ROIs covered less than required).
/// </summary>
/// <param name="Rois">One result per ROI with closed planar contours (or per ROI asked for).</param>
/// <param name="DoseUnits">Dose Units (3004,0002): GY or RELATIVE.</param>
/// <param name="DoseType">Dose Type (3004,0004): PHYSICAL, EFFECTIVE or ERROR.</param>
/// <param name="Warnings">What was accepted by an override, one line each.</param>
public sealed record DicomDvhReport(IReadOnlyList<DicomDvh.RoiDvh> Rois, string DoseUnits, string DoseType, IReadOnlyList<string> Warnings)
{
    /// <summary>True when the values are relative (Dose Units RELATIVE), not Gy.</summary>
    public bool IsRelative => DoseUnits == DicomDvh.RelativeUnits;
}
