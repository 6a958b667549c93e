using MeTAI.Core.Geometry;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// Element quality of a tetrahedral mesh: the smallest and largest dihedral angle over all tets, the largest aspect
/// ratio and the number of inverted (non-positive volume) tets. The aspect ratio of a tet is its longest edge over
/// 2√6 times its inradius: 1 for the regular tetrahedron, 1.37 for a lattice corner tet, unbounded as a tet flattens
/// or becomes a needle. The dihedral angles catch slivers, caps and wedges; the aspect ratio also catches needles.
/// </summary>
/// <param name="Tets">Tets measured.</param>
/// <param name="MinDihedralDeg">Smallest dihedral angle, degrees.</param>
/// <param name="MaxDihedralDeg">Largest dihedral angle, degrees.</param>
/// <param name="MaxAspectRatio">Largest aspect ratio (1 = regular).</param>
/// <param name="InvertedTets">Tets with volume ≤ 0.</param>
public readonly record struct MeshQuality(int Tets, double MinDihedralDeg, double MaxDihedralDeg, double MaxAspectRatio, int InvertedTets)
{
    /// <summary>The smallest dihedral angle the mesher keeps (degrees): tets below it are repaired.</summary>
    public const double MinDihedralLimitDeg = 10;

    /// <summary>The largest aspect ratio the mesher keeps: tets above it are repaired.</summary>
    public const double MaxAspectRatioLimit = 8;

    /// <summary>True when no tet is inverted, every dihedral angle is at least <see cref="MinDihedralLimitDeg"/> and no aspect ratio exceeds <see cref="MaxAspectRatioLimit"/>.</summary>
    public bool WithinLimits => InvertedTets == 0 && MinDihedralDeg >= MinDihedralLimitDeg && MaxAspectRatio <= MaxAspectRatioLimit;

    /// <summary>Measures every tet of <paramref name="mesh"/> at its current node positions.</summary>
    public static MeshQuality Measure(TetMesh mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        double minDihedral = 180, maxDihedral = 0, maxAspect = 0;
        int inverted = 0;
        for (int t = 0; t < mesh.TetCount; t++)
        {
            int q = 4 * t;
            Vec3 a = mesh.NodesLps[mesh.Tets[q]], b = mesh.NodesLps[mesh.Tets[q + 1]], c = mesh.NodesLps[mesh.Tets[q + 2]], d = mesh.NodesLps[mesh.Tets[q + 3]];
            if (TetMesh.SignedVolume(a, b, c, d) <= 0)
            {
                inverted++;
                minDihedral = 0;
                maxDihedral = 180;
                maxAspect = double.PositiveInfinity;
                continue;
            }

            (double lo, double hi) = DihedralRangeDeg(a, b, c, d);
            minDihedral = Math.Min(minDihedral, lo);
            maxDihedral = Math.Max(maxDihedral, hi);
            maxAspect = Math.Max(maxAspect, AspectRatio(a, b, c, d));
        }

        return new MeshQuality(mesh.TetCount, minDihedral, maxDihedral, maxAspect, inverted);
    }

    /// <summary>True when the tet (a, b, c, d) is positive and within both limits.</summary>
    public static bool IsAcceptable(Vec3 a, Vec3 b, Vec3 c, Vec3 d)
    {
        if (TetMesh.SignedVolume(a, b, c, d) <= 0)
        {
            return false;
        }

        (double lo, _) = DihedralRangeDeg(a, b, c, d);
        return lo >= MinDihedralLimitDeg && AspectRatio(a, b, c, d) <= MaxAspectRatioLimit;
    }

    /// <summary>Smallest and largest of the six dihedral angles of a positive tet, degrees.</summary>
    public static (double MinDeg, double MaxDeg) DihedralRangeDeg(Vec3 a, Vec3 b, Vec3 c, Vec3 d)
    {
        // Outward unit normals of the faces opposite a, b, c, d; the dihedral angle between two faces is π minus the
        // angle between their outward normals.
        Span<Vec3> n = [Outward(b, c, d, a), Outward(a, c, d, b), Outward(a, b, d, c), Outward(a, b, c, d)];
        double lo = 180, hi = 0;
        for (int i = 0; i < 4; i++)
        {
            for (int j = i + 1; j < 4; j++)
            {
                double cos = Math.Clamp(Vec3.Dot(n[i], n[j]), -1, 1);
                double angle = 180 - Math.Acos(cos) * 180 / Math.PI;
                lo = Math.Min(lo, angle);
                hi = Math.Max(hi, angle);
            }
        }

        return (lo, hi);
    }

    /// <summary>Longest edge / (2√6 · inradius); 1 for the regular tet, +∞ for a flat one.</summary>
    public static double AspectRatio(Vec3 a, Vec3 b, Vec3 c, Vec3 d)
    {
        double volume = Math.Abs(TetMesh.SignedVolume(a, b, c, d));
        double area = (Vec3.Cross(c - b, d - b).Length + Vec3.Cross(c - a, d - a).Length + Vec3.Cross(b - a, d - a).Length + Vec3.Cross(b - a, c - a).Length) / 2;
        if (volume <= 0 || area <= 0)
        {
            return double.PositiveInfinity;
        }

        double longest = Math.Max(Math.Max(Math.Max((b - a).Length, (c - a).Length), Math.Max((d - a).Length, (c - b).Length)), Math.Max((d - b).Length, (d - c).Length));
        double inradius = 3 * volume / area;
        return longest / (2 * Math.Sqrt(6) * inradius);
    }

    private static Vec3 Outward(Vec3 p, Vec3 q, Vec3 r, Vec3 opposite)
    {
        Vec3 normal = Vec3.Cross(q - p, r - p);
        if (Vec3.Dot(normal, opposite - p) > 0)
        {
            normal = -normal;
        }

        double length = normal.Length;
        return length > 0 ? normal / length : Vec3.Zero;
    }
}
