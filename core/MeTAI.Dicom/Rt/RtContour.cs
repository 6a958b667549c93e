using MeTAI.Core.Contours;
using MeTAI.Core.Geometry;

namespace MeTAI.Dicom.Rt;

/// <summary>One contour of an ROI (an item of Contour Sequence, 3006,0040).</summary>
public sealed record RtContour
{
    /// <summary>Contour Geometric Type (3006,0042): CLOSED_PLANAR, POINT, OPEN_PLANAR or OPEN_NONPLANAR.</summary>
    public string GeometricType { get; init; } = "CLOSED_PLANAR";

    /// <summary>Contour Data (3006,0050) as points in LPS mm; for CLOSED_PLANAR the last point joins the first.</summary>
    public required IReadOnlyList<Vec3> PointsLps { get; init; }

    /// <summary>Contour Number (3006,0048), or null.</summary>
    public int? Number { get; init; }

    /// <summary>SOP Instance UIDs of the images the contour was drawn on (Contour Image Sequence); often the one CT slice.</summary>
    public IReadOnlyList<string> ReferencedImageUids { get; init; } = [];

    /// <summary>True for CLOSED_PLANAR contours, the only kind that encloses a volume.</summary>
    public bool IsClosedPlanar => GeometricType == "CLOSED_PLANAR";

    /// <summary>The contour as a Core <see cref="Contour"/> (CLOSED_PLANAR with at least three points only).</summary>
    public Contour ToContour() => IsClosedPlanar
        ? new Contour(PointsLps)
        : throw new InvalidOperationException($"A {GeometricType} contour encloses no area.");
}
