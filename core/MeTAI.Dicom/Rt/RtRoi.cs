using MeTAI.Core.Phantoms;

namespace MeTAI.Dicom.Rt;

/// <summary>
/// A region of interest of a structure set: its definition (Structure Set ROI Sequence), its contours (ROI Contour
/// Sequence) and its observation (RT ROI Observations Sequence).
/// </summary>
public sealed record RtRoi
{
    /// <summary>ROI Number (3006,0022), unique in the structure set.</summary>
    public required int Number { get; init; }

    /// <summary>ROI Name (3006,0026).</summary>
    public required string Name { get; init; }

    /// <summary>ROI Description (3006,0028), or empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>
    /// RT ROI Interpreted Type (3006,00A4): EXTERNAL, PTV, CTV, GTV, ORGAN, AVOIDANCE, TREATED_VOLUME, CAVITY, SUPPORT,
    /// ISOCENTER, MARKER, … (empty when not given).
    /// </summary>
    public string InterpretedType { get; init; } = string.Empty;

    /// <summary>ROI Display Color (3006,002A), or null.</summary>
    public RgbColor? Color { get; init; }

    /// <summary>ROI Generation Algorithm (3006,0036): AUTOMATIC, SEMIAUTOMATIC or MANUAL.</summary>
    public string GenerationAlgorithm { get; init; } = "AUTOMATIC";

    /// <summary>Referenced Frame of Reference UID (3006,0024) the contours are in.</summary>
    public string? FrameOfReferenceUid { get; init; }

    /// <summary>The contours (all geometric types).</summary>
    public IReadOnlyList<RtContour> Contours { get; init; } = [];

    /// <summary>Number of CLOSED_PLANAR contours.</summary>
    public int ClosedPlanarCount => Contours.Count(c => c.IsClosedPlanar);
}
