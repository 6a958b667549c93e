using MeTAI.Core.Geometry;

namespace MeTAI.Core.Phantoms.Shapes;

/// <summary>
/// A C-shape along z: the annulus innerRadius ≤ r ≤ outerRadius around (centerX, centerY), zMin ≤ z ≤ zMax, minus an
/// opening on the anterior side (−y): the straight slot |x − centerX| &lt; openingWidth/2, y &lt; centerY.
/// </summary>
internal readonly struct AnnularSectorShape(
    double centerXMm, double centerYMm, double innerRadiusMm, double outerRadiusMm, double openingWidthMm, double zMinMm, double zMaxMm) : IShape
{
    public Vec3 MinLps => new(centerXMm - outerRadiusMm, centerYMm - outerRadiusMm, zMinMm);

    public Vec3 MaxLps => new(centerXMm + outerRadiusMm, centerYMm + outerRadiusMm, zMaxMm);

    public bool Contains(Vec3 pointLps)
    {
        if (pointLps.Z < zMinMm || pointLps.Z > zMaxMm)
        {
            return false;
        }

        double dx = pointLps.X - centerXMm, dy = pointLps.Y - centerYMm;
        double r2 = dx * dx + dy * dy;
        if (r2 < innerRadiusMm * innerRadiusMm || r2 > outerRadiusMm * outerRadiusMm)
        {
            return false;
        }

        return !(dy < 0 && Math.Abs(dx) < openingWidthMm / 2);
    }
}
