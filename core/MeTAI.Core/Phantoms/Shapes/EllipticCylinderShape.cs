using MeTAI.Core.Geometry;

namespace MeTAI.Core.Phantoms.Shapes;

/// <summary>
/// A cylinder along z with an elliptic cross-section (a circular one when both semi-axes are equal), closed:
/// (dx/a)² + (dy/b)² ≤ 1 and zMin ≤ z ≤ zMax.
/// </summary>
internal readonly struct EllipticCylinderShape(double centerXMm, double centerYMm, double semiXMm, double semiYMm, double zMinMm, double zMaxMm) : IShape
{
    public Vec3 MinLps => new(centerXMm - semiXMm, centerYMm - semiYMm, zMinMm);

    public Vec3 MaxLps => new(centerXMm + semiXMm, centerYMm + semiYMm, zMaxMm);

    public bool Contains(Vec3 pointLps)
    {
        if (pointLps.Z < zMinMm || pointLps.Z > zMaxMm)
        {
            return false;
        }

        double u = (pointLps.X - centerXMm) / semiXMm, v = (pointLps.Y - centerYMm) / semiYMm;
        return u * u + v * v <= 1;
    }
}
