using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Algorithms;

namespace MeTAI.Dosimetry.MonteCarlo;

/// <summary>
/// The coupled photon–electron transport kernel, written once for the ILGPU CPU and CUDA back ends: float32 math,
/// no managed objects, no recursion, a bounded per-index particle stack, integer (fixed-point) energy tallies with
/// atomic adds. Each kernel index simulates a contiguous chunk of histories; history h draws its random numbers from
/// Philox stream h, so the result does not depend on how histories are spread over indices or threads.
/// Physics: docs/monte-carlo.md.
/// </summary>
public static partial class TransportKernel
{
    /// <summary>Counter: energy of particles entering the grid, 2⁻²⁴ MeV.</summary>
    public const int CounterIncident = 0;

    /// <summary>Counter: energy leaving the grid (including 2 m c² of escaping positrons), 2⁻²⁴ MeV.</summary>
    public const int CounterEscaped = 1;

    /// <summary>Counter: primary photons that left the grid without any interaction.</summary>
    public const int CounterUnscattered = 2;

    /// <summary>Counter: particles deposited in place because the stack was full.</summary>
    public const int CounterStackOverflow = 3;

    /// <summary>Counter: deepest point reached by a primary electron along the beam axis, µm.</summary>
    public const int CounterMaxPrimaryDepth = 4;

    /// <summary>Counter: source particles that entered the grid.</summary>
    public const int CounterEntered = 5;

    /// <summary>Counter: primary electrons whose deepest point lay beyond <see cref="KernelRun.DepthProbeCm"/>.</summary>
    public const int CounterBeyondDepthProbe = 6;

    /// <summary>Number of counters.</summary>
    public const int CounterCount = 8;

    /// <summary>Fixed-point scale of the tallies: 2²⁴ units per MeV.</summary>
    public const double FixedPerMeV = 16777216.0;

    private const int FlagElectron = 1;
    private const int FlagPositron = 2;
    private const int FlagPrimary = 4;
    private const int FlagUnscattered = 8;
    private const float ElectronMass = 0.51099895f;
    private const float TwoPi = 6.28318530718f;

    private struct History
    {
        public Philox4x32 Rng;
        public int PendingVoxel;
        public float PendingEnergy;
        public int StackBase;
        public int Sp;
        public float MaxDepth;
        public float EntryX, EntryY, EntryZ;

        /// <summary>Statistical weight of every particle of the history (source importance sampling; 1 for analog sources).</summary>
        public float Weight;
    }

    private struct Particle
    {
        public float X, Y, Z, U, V, W, E;
        public int Flags;
        public int Ix, Iy, Iz, Voxel;
    }

    /// <summary>One condensed-history step of an electron (<see cref="PlanStep"/>).</summary>
    private struct ElectronStep
    {
        /// <summary>Step length, g/cm².</summary>
        public float Length;

        /// <summary>Continuous loss per mass thickness at the step's mid energy, MeV cm²/g.</summary>
        public float Rate;

        /// <summary>Transport mean free paths per g/cm² at the mid energy (multiple scattering).</summary>
        public float ScatteringPower;

        /// <summary>Majorant cross section of hard events, cm²/g.</summary>
        public float SigmaHard;

        /// <summary>True when the step ends on a hard-event candidate.</summary>
        public bool Hard;
    }

    /// <summary>Kernel entry: index <paramref name="index"/> simulates its chunk of the launch's histories.</summary>
    public static void Kernel(Index1D index, KernelTables t, KernelPhantom ph, KernelSource src, KernelScratch s, KernelRun run)
    {
        long first = run.FirstHistory + (long)index.X * run.HistoriesPerIndex;
        long end = run.FirstHistory + run.Histories;
        long last = first + run.HistoriesPerIndex;
        if (last < end)
        {
            end = last;
        }

        for (long h = first; h < end; h++)
        {
            var hist = new History
            {
                Rng = new Philox4x32(run.Seed, (ulong)h),
                PendingVoxel = -1,
                PendingEnergy = 0,
                StackBase = index.X * s.IndexStride,
                Sp = 0,
                MaxDepth = 0,
                Weight = 1f,
            };
            SimulateHistory(ref hist, t, ph, src, s, run);
        }
    }

    private static void SimulateHistory(ref History hist, in KernelTables t, in KernelPhantom ph, in KernelSource src, in KernelScratch s, in KernelRun run)
    {
        var p = default(Particle);
        if (!SampleSource(ref hist, ref p, ph, src))
        {
            return;
        }

        Atomic.Add(ref s.Counters[CounterIncident], ToFixed(p.E * hist.Weight));
        Atomic.Add(ref s.Counters[CounterEntered], 1L);
        hist.EntryX = p.X;
        hist.EntryY = p.Y;
        hist.EntryZ = p.Z;
        for (int guard = 0; guard < 1 << 20; guard++)
        {
            if ((p.Flags & FlagElectron) != 0)
            {
                TransportElectron(ref hist, ref p, t, ph, src, s, run);
            }
            else
            {
                TransportPhoton(ref hist, ref p, t, ph, s, run);
            }

            if (hist.Sp == 0)
            {
                break;
            }

            Pop(ref hist, ref p, ph, s);
        }

        Flush(ref hist, s);
        if (hist.MaxDepth > 0)
        {
            Atomic.Max(ref s.Counters[CounterMaxPrimaryDepth], (long)(hist.MaxDepth * 1e4f));
            if (run.DepthProbeCm > 0 && hist.MaxDepth > run.DepthProbeCm)
            {
                Atomic.Add(ref s.Counters[CounterBeyondDepthProbe], 1L);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ToFixed(float e) => (long)(e * FixedPerMeV + 0.5);

    private static void Flush(ref History hist, in KernelScratch s)
    {
        if (hist.PendingVoxel >= 0 && hist.PendingEnergy > 0)
        {
            Atomic.Add(ref s.Tally[hist.PendingVoxel], ToFixed(hist.PendingEnergy));
        }

        hist.PendingEnergy = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Deposit(ref History hist, in KernelScratch s, int voxel, float e)
    {
        // Consecutive deposits mostly hit the same voxel: gather them and do one atomic add per voxel change.
        if (voxel != hist.PendingVoxel)
        {
            Flush(ref hist, s);
            hist.PendingVoxel = voxel;
        }

        hist.PendingEnergy += e * hist.Weight;
    }

    private static void Escape(in History hist, in KernelScratch s, float e) => Atomic.Add(ref s.Counters[CounterEscaped], ToFixed(e * hist.Weight));

    private static void Push(ref History hist, in KernelScratch s, ref Particle p)
    {
        if (hist.Sp >= s.Depth)
        {
            // Stack full: keep the energy in the books by depositing it here.
            Deposit(ref hist, s, p.Voxel, p.E + ((p.Flags & FlagPositron) != 0 ? 2 * ElectronMass : 0));
            Atomic.Add(ref s.Counters[CounterStackOverflow], 1L);
            return;
        }

        int k = hist.StackBase + hist.Sp * s.DepthStride;
        s.X[k] = p.X;
        s.Y[k] = p.Y;
        s.Z[k] = p.Z;
        s.U[k] = p.U;
        s.V[k] = p.V;
        s.W[k] = p.W;
        s.E[k] = p.E;
        s.Flags[k] = p.Flags;
        hist.Sp++;
    }

    private static void Pop(ref History hist, ref Particle p, in KernelPhantom ph, in KernelScratch s)
    {
        hist.Sp--;
        int k = hist.StackBase + hist.Sp * s.DepthStride;
        p.X = s.X[k];
        p.Y = s.Y[k];
        p.Z = s.Z[k];
        p.U = s.U[k];
        p.V = s.V[k];
        p.W = s.W[k];
        p.E = s.E[k];
        p.Flags = s.Flags[k];
        LocateInside(ref p, ph);
    }

    /// <summary>Sets the voxel indices of a particle known to be inside the grid (clamped against rounding).</summary>
    private static void LocateInside(ref Particle p, in KernelPhantom ph)
    {
        int ix = (int)(p.X * ph.InvDx), iy = (int)(p.Y * ph.InvDy), iz = (int)(p.Z * ph.InvDz);
        p.Ix = ix < 0 ? 0 : ix >= ph.Nx ? ph.Nx - 1 : ix;
        p.Iy = iy < 0 ? 0 : iy >= ph.Ny ? ph.Ny - 1 : iy;
        p.Iz = iz < 0 ? 0 : iz >= ph.Nz ? ph.Nz - 1 : iz;
        p.Voxel = p.Ix + ph.Nx * (p.Iy + ph.Ny * p.Iz);
    }

    /// <summary>Distance (cm) from the particle to the nearest face of its voxel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DistanceToNearestFace(in Particle p, in KernelPhantom ph)
    {
        float fx = p.X - p.Ix * ph.Dx, fy = p.Y - p.Iy * ph.Dy, fz = p.Z - p.Iz * ph.Dz;
        return XMath.Min(XMath.Min(XMath.Min(fx, ph.Dx - fx), XMath.Min(fy, ph.Dy - fy)), XMath.Min(fz, ph.Dz - fz));
    }

    /// <summary>Moves the particle <paramref name="distanceCm"/> along its direction (its voxel indices are not updated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Advance(ref Particle p, float distanceCm)
    {
        p.X += distanceCm * p.U;
        p.Y += distanceCm * p.V;
        p.Z += distanceCm * p.W;
    }

    /// <summary>Voxel of a point, or −1 outside the grid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VoxelAt(ref Particle p, in KernelPhantom ph)
    {
        if (p.X < 0 || p.Y < 0 || p.Z < 0)
        {
            return -1;
        }

        int ix = (int)(p.X * ph.InvDx), iy = (int)(p.Y * ph.InvDy), iz = (int)(p.Z * ph.InvDz);
        if (ix >= ph.Nx || iy >= ph.Ny || iz >= ph.Nz)
        {
            return -1;
        }

        p.Ix = ix;
        p.Iy = iy;
        p.Iz = iz;
        p.Voxel = ix + ph.Nx * (iy + ph.Ny * iz);
        return p.Voxel;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lerp(ArrayView<float> a, int offset, int i, float f)
    {
        float a0 = a[offset + i];
        return a0 + f * (a[offset + i + 1] - a0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GridIndex(in KernelTables t, float e, out int i, out float f)
    {
        float x = (XMath.Log(e) - t.LogMin) * t.InvLogStep;
        if (x <= 0)
        {
            i = 0;
            f = 0;
            return;
        }

        i = (int)x;
        if (i >= t.GridSize - 1)
        {
            i = t.GridSize - 2;
            f = 1;
            return;
        }

        f = x - i;
    }

    /// <summary>Rotates a direction by polar angle (cos θ) and a uniform azimuth.</summary>
    private static void Rotate(ref Particle p, float cosTheta, ref History hist)
    {
        float phi = TwoPi * hist.Rng.NextFloat();
        Rotate(ref p.U, ref p.V, ref p.W, cosTheta, XMath.Cos(phi), XMath.Sin(phi));
    }

    private static void Rotate(ref float u, ref float v, ref float w, float cosTheta, float cosPhi, float sinPhi)
    {
        if (cosTheta > 1)
        {
            cosTheta = 1;
        }
        else if (cosTheta < -1)
        {
            cosTheta = -1;
        }

        float sinTheta = XMath.Sqrt(1 - cosTheta * cosTheta);
        float rho2 = u * u + v * v;
        if (rho2 > 1e-10f)
        {
            float rho = XMath.Sqrt(rho2);
            float nu = cosTheta * u + sinTheta * (u * w * cosPhi - v * sinPhi) / rho;
            float nv = cosTheta * v + sinTheta * (v * w * cosPhi + u * sinPhi) / rho;
            float nw = cosTheta * w - sinTheta * rho * cosPhi;
            float norm = XMath.Rsqrt(nu * nu + nv * nv + nw * nw);
            u = nu * norm;
            v = nv * norm;
            w = nw * norm;
        }
        else
        {
            float sign = w >= 0 ? 1f : -1f;
            u = sinTheta * cosPhi;
            v = sinTheta * sinPhi;
            w = sign * cosTheta;
        }
    }

    /// <summary>An isotropic direction.</summary>
    private static void Isotropic(ref History hist, out float u, out float v, out float w)
    {
        float c = 2 * hist.Rng.NextFloat() - 1;
        float sn = XMath.Sqrt(XMath.Max(0f, 1 - c * c));
        float phi = TwoPi * hist.Rng.NextFloat();
        u = sn * XMath.Cos(phi);
        v = sn * XMath.Sin(phi);
        w = c;
    }
}
