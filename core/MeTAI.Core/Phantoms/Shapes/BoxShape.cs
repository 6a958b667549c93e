using MeTAI.Core.Geometry;

namespace MeTAI.Core.Phantoms.Shapes;

/// <summary>An axis-aligned box, half-open: min ≤ p &lt; max on every axis, so abutting boxes share no voxel.</summary>
internal readonly struct BoxShape(Vec3 minLps, Vec3 maxLps) : IShape
{
    public Vec3 MinLps { get; } = minLps;

    public Vec3 MaxLps { get; } = maxLps;

    public bool Contains(Vec3 pointLps) =>
        pointLps.X >= MinLps.X && pointLps.X < MaxLps.X
        && pointLps.Y >= MinLps.Y && pointLps.Y < MaxLps.Y
        && pointLps.Z >= MinLps.Z && pointLps.Z < MaxLps.Z;
}
