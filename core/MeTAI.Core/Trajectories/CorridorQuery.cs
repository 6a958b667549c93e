using MeTAI.Core.Geometry;

namespace MeTAI.Core.Trajectories;

/// <summary>
/// What a <see cref="Corridor"/> says about one point: the closest point on the centreline, the distance to it, how far
/// the point lies beyond the wall, and the centreline tangent there. Lengths in the corridor's unit (mm in patient LPS).
/// </summary>
/// <param name="ClosestPoint">Closest point on the centreline polyline.</param>
/// <param name="Distance">Distance from the point to <paramref name="ClosestPoint"/> (≥ 0).</param>
/// <param name="Penetration">Signed depth beyond the wall: <c>Distance − Radius</c>; positive outside the corridor
/// (by that much), zero on the wall, negative inside (the margin left).</param>
/// <param name="Tangent">Unit direction of the centreline at the closest point (towards the target).</param>
/// <param name="SegmentIndex">Index of the centreline segment holding the closest point (0 … points − 2).</param>
/// <param name="ArcLength">Arc length along the centreline from its first point to the closest point.</param>
public readonly record struct CorridorQuery(Vec3 ClosestPoint, double Distance, double Penetration, Vec3 Tangent, int SegmentIndex, double ArcLength)
{
    /// <summary>True when the point is inside the corridor or on its wall.</summary>
    public bool IsInside => Penetration <= 0;
}
