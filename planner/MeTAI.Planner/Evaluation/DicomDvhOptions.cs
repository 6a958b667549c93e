using MeTAI.Dicom.Cases;

namespace MeTAI.Planner.Evaluation;

/// <summary>What <see cref="DicomDvh.Evaluate"/> accepts: by default an RTDOSE on the structure set's patient, study and frame of reference that covers at least <see cref="MinCoveragePercent"/> of every ROI.</summary>
public sealed record DicomDvhOptions
{
    /// <summary>The least share of an ROI's volume the dose grid must cover, percent.</summary>
    public double MinCoveragePercent { get; init; } = 99;

    /// <summary>Report ROIs the dose grid covers less, with a warning, instead of refusing.</summary>
    public bool AllowPartial { get; init; }

    /// <summary>How messages name <see cref="AllowPartial"/>.</summary>
    public string AllowPartialOption { get; init; } = "--allow-partial";

    /// <summary>Consistency between RTSTRUCT and RTDOSE (<see cref="CaseConsistency"/>): <see cref="CaseLoadOptions.AllowInconsistent"/> turns refusals into warnings.</summary>
    public CaseLoadOptions Consistency { get; init; } = CaseLoadOptions.Default;
}
