using MeTAI.Core.Geometry;

namespace MeTAI.Core.Phantoms.Shapes;

/// <summary>
/// A band just under the skin of an elliptic body, like a rib: between the body's cross-section shrunk by
/// <c>depthMaxMm</c> and by <c>depthMinMm</c> (both semi-axes reduced by the depth), and within |z − zCenter| ≤
/// halfWidth. Shrinking the semi-axes keeps the band's depth exact on the axes and close to it elsewhere.
/// </summary>
internal readonly struct EllipticBandShape(
    double semiXMm, double semiYMm, double depthMinMm, double depthMaxMm, double zCenterMm, double halfWidthMm) : IShape
{
    public Vec3 MinLps => new(-(semiXMm - depthMinMm), -(semiYMm - depthMinMm), zCenterMm - halfWidthMm);

    public Vec3 MaxLps => new(semiXMm - depthMinMm, semiYMm - depthMinMm, zCenterMm + halfWidthMm);

    public bool Contains(Vec3 pointLps)
    {
        if (Math.Abs(pointLps.Z - zCenterMm) > halfWidthMm)
        {
            return false;
        }

        return Inside(pointLps, semiXMm - depthMinMm, semiYMm - depthMinMm) && !Inside(pointLps, semiXMm - depthMaxMm, semiYMm - depthMaxMm);
    }

    private static bool Inside(Vec3 p, double a, double b)
    {
        double u = p.X / a, v = p.Y / b;
        return u * u + v * v <= 1;
    }
}
