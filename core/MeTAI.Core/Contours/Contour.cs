using System.Collections.ObjectModel;
using MeTAI.Core.Geometry;

namespace MeTAI.Core.Contours;

/// <summary>
/// A closed planar polygon in DICOM patient coordinates (LPS, millimetres), as an RTSTRUCT <c>CLOSED_PLANAR</c>
/// contour holds it: the last point connects back to the first and is not repeated. Which side is inside is decided
/// by the even-odd rule over all contours of a plane (see <see cref="ContourRasterizer"/>), so a contour may be an
/// outer boundary or a hole; by convention outer boundaries run counter-clockwise and holes clockwise seen from the
/// side their <see cref="AreaVectorMm2"/> points to.
/// </summary>
public sealed class Contour
{
    private readonly Vec3[] _pointsLps;

    /// <summary>Creates a contour from at least three finite points (copied).</summary>
    /// <param name="pointsLps">Polygon vertices in LPS mm, in order; the closing edge is implied.</param>
    public Contour(IEnumerable<Vec3> pointsLps)
    {
        ArgumentNullException.ThrowIfNull(pointsLps);
        _pointsLps = [.. pointsLps];
        if (_pointsLps.Length < 3)
        {
            throw new ArgumentException($"A closed planar contour needs at least 3 points, got {_pointsLps.Length}.", nameof(pointsLps));
        }

        for (int n = 0; n < _pointsLps.Length; n++)
        {
            if (!_pointsLps[n].IsFinite)
            {
                throw new ArgumentException($"Contour point {n} is not finite: {_pointsLps[n]}.", nameof(pointsLps));
            }
        }

        PointsLps = new ReadOnlyCollection<Vec3>(_pointsLps);
    }

    /// <summary>The vertices in LPS mm, in order; the closing edge from the last to the first point is implied.</summary>
    public IReadOnlyList<Vec3> PointsLps { get; }

    /// <summary>Number of vertices.</summary>
    public int Count => _pointsLps.Length;

    /// <summary>
    /// Newell's area vector in mm²: normal to the contour's plane, as long as the enclosed area, pointing to the side
    /// from which the points run counter-clockwise. For a self-intersecting polygon it is the signed sum of its lobes.
    /// </summary>
    public Vec3 AreaVectorMm2
    {
        get
        {
            // Sum of cross products relative to the first point: exact for planar polygons and insensitive to where
            // the polygon sits (no loss of precision far from the origin).
            Vec3 p0 = _pointsLps[0];
            Vec3 sum = Vec3.Zero;
            for (int n = 1; n + 1 < _pointsLps.Length; n++)
            {
                sum += Vec3.Cross(_pointsLps[n] - p0, _pointsLps[n + 1] - p0);
            }

            return sum * 0.5;
        }
    }

    /// <summary>Enclosed area in mm² (length of <see cref="AreaVectorMm2"/>).</summary>
    public double AreaMm2 => AreaVectorMm2.Length;

    /// <summary>The vertices as a read-only span (no copy), for loops that read every point.</summary>
    public ReadOnlySpan<Vec3> AsSpan() => _pointsLps;
}
