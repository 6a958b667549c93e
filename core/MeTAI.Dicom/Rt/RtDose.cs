using MeTAI.Core.Voxels;

namespace MeTAI.Dicom.Rt;

/// <summary>
/// A dose grid (RT Dose IOD, PS3.3 A.18): values on a <see cref="GridGeometry"/> in LPS mm, in <see cref="DoseUnits"/>
/// (GY: Gy; RELATIVE: relative to an implicit reference), with what the dose is and which plan it belongs to.
/// Read and written by <see cref="Readers.RtDoseReader"/> and <see cref="Writers.RtDoseWriter"/>.
/// </summary>
public sealed record RtDose
{
    /// <summary>The dose values (Gy when <see cref="DoseUnits"/> is GY), voxel (i, j, k) = column, row, frame.</summary>
    public required VoxelGrid<float> Dose { get; init; }

    /// <summary>Patient and study.</summary>
    public RtPatientStudy PatientStudy { get; init; } = new();

    /// <summary>SOP Instance UID (0008,0018).</summary>
    public string SopInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>Series Instance UID (0020,000E).</summary>
    public string SeriesInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>Series Number (0020,0011).</summary>
    public int SeriesNumber { get; init; } = 4;

    /// <summary>Frame of Reference UID (0020,0052) shared with the CT and plan.</summary>
    public string FrameOfReferenceUid { get; init; } = DicomUid.Generate();

    /// <summary>Dose Units (3004,0002): GY or RELATIVE.</summary>
    public string DoseUnits { get; init; } = "GY";

    /// <summary>Dose Type (3004,0004): PHYSICAL, EFFECTIVE or ERROR.</summary>
    public string DoseType { get; init; } = "PHYSICAL";

    /// <summary>Dose Summation Type (3004,000A): PLAN, MULTI_PLAN, FRACTION, BEAM, BRACHY, …</summary>
    public string DoseSummationType { get; init; } = "PLAN";

    /// <summary>Dose Comment (3004,0006), or empty.</summary>
    public string Comment { get; init; } = string.Empty;

    /// <summary>Tissue Heterogeneity Correction (3004,0014) values, e.g. IMAGE, ROI_OVERRIDE, WATER; empty when not given.</summary>
    public IReadOnlyList<string> TissueHeterogeneityCorrection { get; init; } = [];

    /// <summary>SOP Instance UID of the RT Plan this dose was computed for (Referenced RT Plan Sequence), or null.</summary>
    public string? ReferencedPlanUid { get; init; }

    /// <summary>Referenced Fraction Group Number, for FRACTION and BEAM summations, or null.</summary>
    public int? ReferencedFractionGroupNumber { get; init; }

    /// <summary>Referenced Beam Numbers, for BEAM summations; empty otherwise.</summary>
    public IReadOnlyList<int> ReferencedBeamNumbers { get; init; } = [];

    /// <summary>The largest dose value.</summary>
    public float MaxDose()
    {
        float max = float.NegativeInfinity;
        foreach (float v in Dose.Data)
        {
            max = Math.Max(max, v);
        }

        return max;
    }
}
