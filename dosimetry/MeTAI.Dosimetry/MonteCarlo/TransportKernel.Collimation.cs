using ILGPU.Algorithms;

namespace MeTAI.Dosimetry.MonteCarlo;

public static partial class TransportKernel
{
    /// <summary>
    /// Photon transmission of the jaws and MLC for the ray from (<paramref name="ex"/>, <paramref name="ey"/>,
    /// <paramref name="ez"/>) along (<paramref name="lx"/>, <paramref name="ly"/>, <paramref name="lz"/>) in the beam
    /// frame (cm below the target). Each device is evaluated where the ray crosses its mid-plane, projected to the
    /// isocentre plane; the MLC's path length through rounded ends and the tongue-and-groove band follows
    /// <c>MlcGeometry.TransmissionAt</c> (the host reference the tests compare with).
    /// </summary>
    internal static float Transmission(in KernelCollimator c, float ex, float ey, float ez, float lx, float ly, float lz)
    {
        float tr = 1f;
        // Jaws: Y (upper) then X (lower), each where the ray crosses its mid-plane, projected to the isocentre plane.
        float y = (ey + ly * (c.JawZy - ez) / lz) * c.Sad / c.JawZy;
        if (y < c.Y1 || y > c.Y2)
        {
            tr *= c.JawT;
        }

        float x = (ex + lx * (c.JawZx - ez) / lz) * c.Sad / c.JawZx;
        if (x < c.X1 || x > c.X2)
        {
            tr *= c.JawT;
        }

        if (c.Pairs == 0)
        {
            return tr;
        }

        float t = (c.MlcZ - ez) / lz;
        x = (ex + lx * t) / c.ToLeaf;
        y = (ey + ly * t) / c.ToLeaf;
        return tr * XMath.Exp(-MlcExponent(c, x, y));
    }

    /// <summary>μ·L of the MLC at isocentre-plane (x, y), cm (0 outside the leaf bank).</summary>
    private static float MlcExponent(in KernelCollimator c, float x, float y)
    {
        int n = c.Pairs;
        if (y <= c.Boundaries[0] || y >= c.Boundaries[n])
        {
            return 0;
        }

        int k = PairOf(c, y);
        float ek = PairExponent(c, x, k);
        int nb = y - c.Boundaries[k] < c.HalfBand && k > 0 ? k - 1 : c.Boundaries[k + 1] - y < c.HalfBand && k < n - 1 ? k + 1 : -1;
        if (nb < 0)
        {
            return ek;
        }

        return c.BandScale * 0.5f * (ek + PairExponent(c, x, nb));
    }

    /// <summary>μ times the path (cm) through the leaves of pair <paramref name="k"/> at isocentre-plane x (cm).</summary>
    private static float PairExponent(in KernelCollimator c, float x, int k)
    {
        float path = EndPath(c, (c.BankA[k] - x) * c.ToLeaf) + EndPath(c, (x - c.BankB[k]) * c.ToLeaf);
        return c.Mu * path;
    }

    /// <summary>Path (cm) through a rounded leaf end for a ray <paramref name="d"/> cm inside the tip (leaf plane).</summary>
    private static float EndPath(in KernelCollimator c, float d)
    {
        if (d <= 0)
        {
            return 0;
        }

        if (d >= c.EndRadius)
        {
            return c.Height;
        }

        float chord = 2f * XMath.Sqrt(d * (2f * c.EndRadius - d));
        return XMath.Min(c.Height, chord);
    }

    /// <summary>True when isocentre-plane point (a, c) cm is inside the jaws and its leaf pair's gap (BeamSetup.OpenRectangles).</summary>
    private static bool InsideOpening(in KernelCollimator c, float a, float y)
    {
        if (a < c.X1 || a > c.X2 || y < c.Y1 || y > c.Y2)
        {
            return false;
        }

        int n = c.Pairs;
        if (n == 0)
        {
            return true;
        }

        if (y < c.Boundaries[0] || y >= c.Boundaries[n])
        {
            return false;
        }

        int k = PairOf(c, y);
        return a >= c.BankA[k] && a <= c.BankB[k];
    }

    /// <summary>The leaf pair k with Boundaries[k] ≤ y &lt; Boundaries[k + 1] (binary search; y inside the bank).</summary>
    private static int PairOf(in KernelCollimator c, float y)
    {
        int lo = 0, hi = c.Pairs;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >> 1;
            if (y >= c.Boundaries[mid])
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
