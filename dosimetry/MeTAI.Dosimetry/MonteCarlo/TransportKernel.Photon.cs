using ILGPU;
using ILGPU.Algorithms;

namespace MeTAI.Dosimetry.MonteCarlo;

public static partial class TransportKernel
{
    /// <summary>
    /// Woodcock (delta) tracking with one majorant for the whole grid; real interactions are chosen by the material's
    /// XCOM partial cross sections: coherent (Thomson angular shape), incoherent (Klein–Nishina, recoil electron
    /// created), photoelectric (electron of the photon's energy) and pair production (uniform energy split).
    /// </summary>
    private static void TransportPhoton(ref History hist, ref Particle p, in KernelTables t, in KernelPhantom ph, in KernelScratch s, in KernelRun run)
    {
        // Energy-dependent lookups change only when the energy does (not at delta events or coherent scatters).
        float eLast = -1f;
        int i = 0;
        float f = 0f, muMax = 1f;
        for (int guard = 0; guard < 1 << 16; guard++)
        {
            if (p.E <= run.PhotonCut)
            {
                Deposit(ref hist, s, p.Voxel, p.E);
                return;
            }

            if (p.E != eLast)
            {
                GridIndex(t, p.E, out i, out f);
                muMax = Lerp(t.Majorant, 0, i, f);
                eLast = p.E;
            }

            Advance(ref p, -XMath.Log(hist.Rng.NextFloat()) / muMax);
            int voxel = VoxelAt(ref p, ph);
            if (voxel < 0)
            {
                Escape(hist, s, p.E);
                if ((p.Flags & FlagUnscattered) != 0)
                {
                    Atomic.Add(ref s.Counters[CounterUnscattered], 1L);
                }

                return;
            }

            VoxelRecord vr = ph.Voxels[voxel];
            int off = vr.Material * t.GridSize;
            PhotonNode n0 = t.Photon[off + i];
            PhotonNode n1 = t.Photon[off + i + 1];
            float mu = (n0.Mu + f * (n1.Mu - n0.Mu)) * vr.Density;
            if (hist.Rng.NextFloat() * muMax > mu)
            {
                continue; // delta event: nothing happens
            }

            p.Flags &= ~FlagUnscattered;
            if (!Interact(ref hist, ref p, s, run, n0, n1, f))
            {
                return;
            }
        }
    }

    /// <summary>
    /// A real interaction, chosen by the partial cross sections at table node <paramref name="n0"/> + <paramref name="f"/>;
    /// true when the photon goes on (coherent or incoherent scattering), false when it is absorbed.
    /// </summary>
    private static bool Interact(ref History hist, ref Particle p, in KernelScratch s, in KernelRun run, in PhotonNode n0, in PhotonNode n1, float f)
    {
        float r = hist.Rng.NextFloat();
        if (r < n0.FracCoherent + f * (n1.FracCoherent - n0.FracCoherent))
        {
            Rayleigh(ref hist, ref p);
            return true;
        }

        if (r < n0.FracIncoherent + f * (n1.FracIncoherent - n0.FracIncoherent))
        {
            Compton(ref hist, ref p, s, run);
            return true;
        }

        if (r < n0.FracPhoto + f * (n1.FracPhoto - n0.FracPhoto))
        {
            // Photoelectric absorption: the electron takes the photon's energy (binding energies < 5 keV here).
            p.Flags = FlagElectron;
            CreateElectron(ref hist, ref p, s, run);
            return false;
        }

        PairProduction(ref hist, ref p, s, run);
        return false;
    }

    /// <summary>Rayleigh: elastic; angular shape (1 + cos²θ)/2 without atomic form factors (see docs).</summary>
    private static void Rayleigh(ref History hist, ref Particle p)
    {
        float c;
        int k = 0;
        do
        {
            c = 2 * hist.Rng.NextFloat() - 1;
            k++;
        }
        while (2 * hist.Rng.NextFloat() > 1 + c * c && k < 64);
        Rotate(ref p, c, ref hist);
    }

    /// <summary>Pair production: electron and positron share E − 2mc² uniformly, both along the photon direction.</summary>
    private static void PairProduction(ref History hist, ref Particle p, in KernelScratch s, in KernelRun run)
    {
        float avail = p.E - 2 * ElectronMass;
        if (avail <= 0)
        {
            Deposit(ref hist, s, p.Voxel, p.E);
            return;
        }

        float te = hist.Rng.NextFloat() * avail;
        var pos = p;
        pos.E = avail - te;
        pos.Flags = FlagElectron | FlagPositron;
        p.E = te;
        p.Flags = FlagElectron;
        CreateElectron(ref hist, ref pos, s, run);
        CreateElectron(ref hist, ref p, s, run);
    }

    /// <summary>Klein–Nishina scattering (composition–rejection of Butcher &amp; Messel as in EGS4); pushes the recoil electron.</summary>
    private static void Compton(ref History hist, ref Particle p, in KernelScratch s, in KernelRun run)
    {
        float k = p.E / ElectronMass;
        float e0 = 1f / (1f + 2f * k);
        float e02 = e0 * e0;
        float a1 = -XMath.Log(e0);
        float a2 = 0.5f * (1f - e02);
        float pa = a1 / (a1 + a2);
        float eps = 1f, tt = 0f;
        for (int n = 0; n < 1000; n++)
        {
            float eps2;
            if (hist.Rng.NextFloat() < pa)
            {
                eps = XMath.Exp(-a1 * hist.Rng.NextFloat());
                eps2 = eps * eps;
            }
            else
            {
                eps2 = e02 + (1f - e02) * hist.Rng.NextFloat();
                eps = XMath.Sqrt(eps2);
            }

            tt = (1f - eps) / (k * eps);
            float sin2 = tt * (2f - tt);
            float g = 1f - eps * sin2 / (1f + eps2);
            if (hist.Rng.NextFloat() <= g)
            {
                break;
            }
        }

        float cosT = 1f - tt;
        float eIn = p.E;
        float eOut = eps * eIn;
        float u0 = p.U, v0 = p.V, w0 = p.W;
        Rotate(ref p, cosT, ref hist);
        p.E = eOut;
        // Recoil electron: momentum conservation p_e = E·û − E'·û'.
        var el = p;
        float ex = eIn * u0 - eOut * p.U, ey = eIn * v0 - eOut * p.V, ez = eIn * w0 - eOut * p.W;
        float n2 = ex * ex + ey * ey + ez * ez;
        if (n2 > 0)
        {
            float inv = XMath.Rsqrt(n2);
            el.U = ex * inv;
            el.V = ey * inv;
            el.W = ez * inv;
        }

        el.E = eIn - eOut;
        el.Flags = FlagElectron;
        CreateElectron(ref hist, ref el, s, run);
    }

    /// <summary>Pushes an electron or positron, or absorbs it on the spot when it is below the cut-off.</summary>
    private static void CreateElectron(ref History hist, ref Particle e, in KernelScratch s, in KernelRun run)
    {
        if (e.E > run.ElectronCut)
        {
            Push(ref hist, s, ref e);
            return;
        }

        Deposit(ref hist, s, e.Voxel, e.E);
        if ((e.Flags & FlagPositron) != 0)
        {
            Annihilate(ref hist, ref e, s);
        }
    }

    /// <summary>Positron annihilation at rest: two 511 keV photons back to back, isotropic.</summary>
    private static void Annihilate(ref History hist, ref Particle e, in KernelScratch s)
    {
        Isotropic(ref hist, out float u, out float v, out float w);
        var g = e;
        g.E = ElectronMass;
        g.Flags = 0;
        g.U = u;
        g.V = v;
        g.W = w;
        Push(ref hist, s, ref g);
        g.U = -u;
        g.V = -v;
        g.W = -w;
        Push(ref hist, s, ref g);
    }
}
