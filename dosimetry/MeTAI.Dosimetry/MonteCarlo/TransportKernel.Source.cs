using ILGPU.Algorithms;

namespace MeTAI.Dosimetry.MonteCarlo;

public static partial class TransportKernel
{
    /// <summary>
    /// Samples a source particle and moves it to where it enters the grid; false when it misses the grid or the
    /// collimation stops it. The sub-source (focal, extra-focal, electron contamination) is chosen by its share, its
    /// emission point from its Gaussian; the ray goes through a point sampled uniformly in the open rectangles of the
    /// sampling plane (rectangles by area × weight, alias method), accepted with probability cos³θ (uniform per area →
    /// uniform per solid angle) and, for the focal source, with the off-axis relative fluence. Jaws and leaves then let
    /// the photon through with their transmission (Russian roulette: survivors keep their weight of 1).
    /// </summary>
    private static bool SampleSource(ref History hist, ref Particle p, in KernelPhantom ph, in KernelSource src)
    {
        int kind = SampleEnergy(ref hist, ref p, src);
        float ex = 0, ey = 0, ez = 0;
        if (src.Parallel == 0)
        {
            EmissionPoint(ref hist, src.Virtual, kind, out ex, out ey, out ez);
        }

        float sx = src.Sx, sy = src.Sy, sz = src.Sz;
        float u = src.Ax, v = src.Ay, w = src.Az;
        SampleRay(ref hist, src, kind, ex, ey, ez, out float lx, out float ly, out float lz, out float radius, out float qa, out float qc, ref sx, ref sy, ref sz);
        if (src.Parallel == 0)
        {
            if (kind == 0 && src.Virtual.SofteningPerCm > 0)
            {
                p.E *= XMath.Max(0.5f, 1f - src.Virtual.SofteningPerCm * radius);
            }

            if (src.Collimator.Active != 0)
            {
                // Importance sampling of the open area: the weight follows where the ray was sampled.
                bool open = InsideOpening(src.Collimator, qa, qc);
                hist.Weight = kind == 0 ? (open ? src.Collimator.WeightOpenFocal : src.Collimator.WeightCoveredFocal)
                    : (open ? src.Collimator.WeightOpenFlat : src.Collimator.WeightCoveredFlat);
                float tr = Transmission(src.Collimator, ex, ey, ez, lx, ly, lz);
                if (tr < 1f && (kind == 2 || hist.Rng.NextFloat() >= tr))
                {
                    return false;
                }
            }

            float inv = XMath.Rsqrt(lx * lx + ly * ly + lz * lz);
            u = (lx * src.Ux + ly * src.Vx + lz * src.Ax) * inv;
            v = (lx * src.Uy + ly * src.Vy + lz * src.Ay) * inv;
            w = (lx * src.Uz + ly * src.Vz + lz * src.Az) * inv;
            sx = src.Sx + ex * src.Ux + ey * src.Vx + ez * src.Ax;
            sy = src.Sy + ex * src.Uy + ey * src.Vy + ez * src.Ay;
            sz = src.Sz + ex * src.Uz + ey * src.Vz + ez * src.Az;
        }

        return EnterGrid(ref p, ph, src, kind, sx, sy, sz, u, v, w);
    }

    /// <summary>
    /// Picks the ray's point in the sampling rectangles and accepts it by cos³θ and the horns (see
    /// <see cref="SampleSource"/>): the ray (lx, ly, lz) from the emission point in the beam frame, the radius where it
    /// meets the isocentre plane (cm), the sampled isocentre-plane point (qa, qc); a parallel beam sets its start point.
    /// </summary>
    private static void SampleRay(ref History hist, in KernelSource src, int kind, float ex, float ey, float ez,
        out float lx, out float ly, out float lz, out float radius, out float qa, out float qc, ref float sx, ref float sy, ref float sz)
    {
        lx = 0;
        ly = 0;
        lz = 1;
        radius = 0;
        qa = 0;
        qc = 0;
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
            qa = a;
            qc = c;
            if (src.Parallel != 0)
            {
                sx = src.Ix + a * src.Ux + c * src.Vx - 1000f * src.Ax;
                sy = src.Iy + a * src.Uy + c * src.Vy - 1000f * src.Ay;
                sz = src.Iz + a * src.Uz + c * src.Vz - 1000f * src.Az;
                break;
            }

            // The ray from the emission point through (a, c) projected onto the sampling plane, in the beam frame.
            lx = a * src.Virtual.PlaneScale - ex;
            ly = c * src.Virtual.PlaneScale - ey;
            lz = src.Virtual.SamplingPlane - ez;
            float inv = XMath.Rsqrt(lx * lx + ly * ly + lz * lz);
            float cosT = lz * inv;
            if (hist.Rng.NextFloat() > cosT * cosT * cosT)
            {
                continue;
            }

            if (kind != 0 || src.Virtual.HornCount <= 1)
            {
                break;
            }

            // Focal photons: where the ray meets the isocentre plane sets the off-axis fluence (horns) and softening.
            float t = (src.Virtual.Sad - ez) / lz, rx = ex + lx * t, ry = ey + ly * t;
            radius = XMath.Sqrt(rx * rx + ry * ry);
            if (hist.Rng.NextFloat() <= HornAt(src.Virtual, radius))
            {
                break;
            }
        }

    }

    /// <summary>Picks the sub-source (0 focal, 1 extra-focal, 2 electrons) and the particle's energy.</summary>
    private static int SampleEnergy(ref History hist, ref Particle p, in KernelSource src)
    {
        // A focal-only source draws no number for the pick (the point model keeps its random-number sequence).
        float pick = src.Virtual.PFocal >= 1f ? 0f : hist.Rng.NextFloat();
        int kind = pick < src.Virtual.PFocal ? 0 : pick < src.Virtual.PFocalOrExtra ? 1 : 2;
        if (kind == 2)
        {
            // Truncated exponential: E = −mean · ln(1 − ξ (1 − e^(−Emax/mean))).
            p.E = -src.Virtual.ElectronMean * XMath.Log(1f - hist.Rng.NextFloat() * src.Virtual.ElectronNorm);
            return kind;
        }

        int b = (int)(hist.Rng.NextFloat() * src.SpecBins);
        b = b >= src.SpecBins ? src.SpecBins - 1 : b;
        if (hist.Rng.NextFloat() > src.SpecProb[b])
        {
            b = src.SpecAlias[b];
        }

        p.E = src.SpecLo[b] + hist.Rng.NextFloat() * (src.SpecHi[b] - src.SpecLo[b]);
        if (kind == 1)
        {
            p.E *= src.Virtual.ExtraScale;
        }

        return kind;
    }

    /// <summary>The emission point of sub-source <paramref name="kind"/>: a Gaussian (Box–Muller) in its plane, cm.</summary>
    private static void EmissionPoint(ref History hist, in KernelVirtualSource vs, int kind, out float ex, out float ey, out float ez)
    {
        float sgx = kind == 0 ? vs.SpotSigmaX : kind == 1 ? vs.ExtraSigma : vs.ElectronSigma;
        float sgy = kind == 0 ? vs.SpotSigmaY : sgx;
        ez = kind == 0 ? 0f : kind == 1 ? vs.ExtraZ : vs.ElectronZ;
        ex = 0;
        ey = 0;
        if (sgx > 0 || sgy > 0)
        {
            float rr = XMath.Sqrt(-2f * XMath.Log(1f - hist.Rng.NextFloat()));
            float phi = TwoPi * hist.Rng.NextFloat();
            ex = sgx * rr * XMath.Cos(phi);
            ey = sgy * rr * XMath.Sin(phi);
        }
    }

    /// <summary>Relative focal fluence (to its maximum) at radius <paramref name="r"/> cm of the isocentre plane.</summary>
    private static float HornAt(in KernelVirtualSource vs, float r)
    {
        int n = vs.HornCount;
        for (int i = 1; i < n; i++)
        {
            float r1 = vs.HornRadius[i];
            if (r <= r1)
            {
                float r0 = vs.HornRadius[i - 1], f0 = vs.HornRelative[i - 1];
                return f0 + (r - r0) / (r1 - r0) * (vs.HornRelative[i] - f0);
            }
        }

        return vs.HornRelative[n - 1];
    }

    /// <summary>Ray–grid intersection: moves the particle to where it enters the grid; false when it misses.</summary>
    private static bool EnterGrid(ref Particle p, in KernelPhantom ph, in KernelSource src, int kind, float sx, float sy, float sz, float u, float v, float w)
    {
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
        p.Flags = FlagPrimary | (src.Particle == 1 || kind == 2 ? FlagElectron : FlagUnscattered);
        return VoxelAt(ref p, ph) >= 0;
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
