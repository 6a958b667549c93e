using ILGPU.Algorithms;

namespace MeTAI.Dosimetry.MonteCarlo;

public static partial class TransportKernel
{
    /// <summary>
    /// Samples a source particle and moves it to where it enters the grid; false when it misses the grid. A point
    /// source samples a point uniformly in the open aperture (rectangles by area × weight, alias method) and accepts
    /// it with probability cos³θ, which turns uniform-per-area at the isocentre plane into uniform-per-solid-angle.
    /// </summary>
    private static bool SampleSource(ref History hist, ref Particle p, in KernelPhantom ph, in KernelSource src)
    {
        int b = (int)(hist.Rng.NextFloat() * src.SpecBins);
        b = b >= src.SpecBins ? src.SpecBins - 1 : b;
        if (hist.Rng.NextFloat() > src.SpecProb[b])
        {
            b = src.SpecAlias[b];
        }

        p.E = src.SpecLo[b] + hist.Rng.NextFloat() * (src.SpecHi[b] - src.SpecLo[b]);
        float sx = src.Sx, sy = src.Sy, sz = src.Sz;
        float u = src.Ax, v = src.Ay, w = src.Az;
        for (int tries = 0; tries < 256; tries++)
        {
            int r = (int)(hist.Rng.NextFloat() * src.Rects);
            r = r >= src.Rects ? src.Rects - 1 : r;
            if (hist.Rng.NextFloat() > src.RectProb[r])
            {
                r = src.RectAlias[r];
            }

            float a = src.RectX0[r] + hist.Rng.NextFloat() * src.RectW[r];
            float c = src.RectY0[r] + hist.Rng.NextFloat() * src.RectH[r];
            float px = src.Ix + a * src.Ux + c * src.Vx;
            float py = src.Iy + a * src.Uy + c * src.Vy;
            float pz = src.Iz + a * src.Uz + c * src.Vz;
            if (src.Parallel != 0)
            {
                sx = px - 1000f * src.Ax;
                sy = py - 1000f * src.Ay;
                sz = pz - 1000f * src.Az;
                break;
            }

            float dx = px - src.Sx, dy = py - src.Sy, dz = pz - src.Sz;
            float inv = XMath.Rsqrt(dx * dx + dy * dy + dz * dz);
            u = dx * inv;
            v = dy * inv;
            w = dz * inv;
            float cosT = u * src.Ax + v * src.Ay + w * src.Az;
            if (hist.Rng.NextFloat() <= cosT * cosT * cosT)
            {
                break;
            }
        }

        // Ray–box intersection with the grid [0, N·D] on each axis.
        float tEnter = -1e30f, tExit = 1e30f;
        ClipSlab(sx, u, ph.Nx * ph.Dx, ref tEnter, ref tExit);
        ClipSlab(sy, v, ph.Ny * ph.Dy, ref tEnter, ref tExit);
        ClipSlab(sz, w, ph.Nz * ph.Dz, ref tEnter, ref tExit);
        if (tExit <= tEnter || tExit <= 0)
        {
            return false;
        }

        float t0 = tEnter > 0 ? tEnter : 0;
        // Nudge inside so that the first voxel is the one the particle enters.
        t0 += 1e-5f;
        p.X = sx + t0 * u;
        p.Y = sy + t0 * v;
        p.Z = sz + t0 * w;
        p.U = u;
        p.V = v;
        p.W = w;
        p.Flags = FlagPrimary | (src.Particle == 1 ? FlagElectron : FlagUnscattered);
        if (VoxelAt(ref p, ph) < 0)
        {
            return false;
        }

        return true;
    }

    private static void ClipSlab(float o, float d, float size, ref float tEnter, ref float tExit)
    {
        if (XMath.Abs(d) < 1e-12f)
        {
            if (o < 0 || o > size)
            {
                tEnter = 1e30f;
                tExit = -1e30f;
            }

            return;
        }

        float inv = 1f / d;
        float t1 = (0 - o) * inv, t2 = (size - o) * inv;
        if (t1 > t2)
        {
            float tmp = t1;
            t1 = t2;
            t2 = tmp;
        }

        if (t1 > tEnter)
        {
            tEnter = t1;
        }

        if (t2 < tExit)
        {
            tExit = t2;
        }
    }
}
