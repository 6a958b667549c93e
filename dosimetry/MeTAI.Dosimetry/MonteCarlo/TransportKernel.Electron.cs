using ILGPU.Algorithms;

namespace MeTAI.Dosimetry.MonteCarlo;

public static partial class TransportKernel
{
    private const int WalkDone = 0;
    private const int WalkMaterialChange = 1;
    private const int WalkLeftGrid = 2;

    /// <summary>
    /// Deepest point of a primary electron along the beam axis. Called at the hinge and at the end of every step (and
    /// wherever a walk stops early): the path between them is straight, so its deepest point is one of those ends.
    /// </summary>
    private static void TrackPrimaryDepth(ref History hist, in Particle p, in KernelSource src)
    {
        float depth = (p.X - hist.EntryX) * src.Ax + (p.Y - hist.EntryY) * src.Ay + (p.Z - hist.EntryZ) * src.Az;
        if (depth > hist.MaxDepth)
        {
            hist.MaxDepth = depth;
        }
    }

    /// <summary>
    /// Class II condensed history (DPM-like): steps in g/cm² limited by the maximum fractional energy loss and by the
    /// distance to the next hard event (majorant + rejection); restricted continuous loss deposited along the path;
    /// multiple scattering by one Wentzel deflection per step at a random hinge point, its screening fixed by the
    /// first transport moment; hard Møller δ-rays and hard bremsstrahlung photons as secondaries. Density changes are
    /// handled by walking the step voxel by voxel in mass thickness; a change of material ends the step at the
    /// boundary so that the next step uses the new material's tables.
    /// </summary>
    private static void TransportElectron(ref History hist, ref Particle p, in KernelTables t, in KernelPhantom ph, in KernelSource src, in KernelScratch s, in KernelRun run)
    {
        bool positron = (p.Flags & FlagPositron) != 0;
        bool primary = (p.Flags & FlagPrimary) != 0;
        // Grid coordinate of ln E, kept up to date by a series in the fractional loss so that ordinary steps need no
        // logarithm; and the number of (majorant) mean free paths to the next hard event, carried across steps.
        float gx = GridCoordinate(t, p.E);
        float eta = -XMath.Log(hist.Rng.NextFloat());
        for (int guard = 0; guard < 1 << 16; guard++)
        {
            if (p.E <= run.ElectronCut)
            {
                break;
            }

            int voxel = p.Voxel;
            VoxelRecord vr = ph.Voxels[voxel];
            int m = vr.Material;
            float rho = vr.Density;
            int off = m * t.GridSize;
            int i = gx <= 0 ? 0 : (int)gx;
            i = i > t.GridSize - 2 ? t.GridSize - 2 : i;
            float f = gx <= 0 ? 0 : XMath.Min(gx - i, 1f);
            ElectronNode a0 = t.Electron[off + i];
            ElectronNode a1 = t.Electron[off + i + 1];

            if (p.E < run.RangeRejectionBelow)
            {
                // Range rejection: the CSDA range cannot reach the nearest face of this voxel.
                float range = (a0.CsdaRange + f * (a1.CsdaRange - a0.CsdaRange)) / rho;
                float fx = p.X - p.Ix * ph.Dx, fy = p.Y - p.Iy * ph.Dy, fz = p.Z - p.Iz * ph.Dz;
                float dmin = XMath.Min(XMath.Min(XMath.Min(fx, ph.Dx - fx), XMath.Min(fy, ph.Dy - fy)), XMath.Min(fz, ph.Dz - fz));
                if (range < dmin)
                {
                    break;
                }
            }

            float sigHard = a0.HardSigmaMax + f * (a1.HardSigmaMax - a0.HardSigmaMax);
            float tMax = a0.MaxStep + f * (a1.MaxStep - a0.MaxStep);
            // η is 0 when the uniform draw is exactly 1 (NextFloat is in (0, 1]) and may round a hair below 0 after a
            // step that ended on the hard event at a boundary: the event is then here, at zero distance.
            float tHard = sigHard > 0 ? XMath.Max(eta, 0f) / sigHard : 1e30f;
            bool hard = tHard < tMax;
            float step = hard ? tHard : tMax;

            // Continuous loss with the stopping power at the step's mid energy (second order in the step).
            float l0 = a0.StoppingPower + f * (a1.StoppingPower - a0.StoppingPower);
            float eMid = p.E - 0.5f * l0 * step;
            if (eMid < 0.5f * p.E)
            {
                eMid = 0.5f * p.E;
            }

            // ln(eMid) = ln E + ln(1 − δ): shift the grid coordinate instead of taking another logarithm.
            float delta = 1f - eMid / p.E;
            float xm = i + f - (delta + 0.5f * delta * delta + 0.33333334f * delta * delta * delta) * t.InvLogStep;
            int im = xm <= 0 ? 0 : (int)xm;
            float fm = xm <= 0 ? 0 : xm - im;
            im = im > t.GridSize - 2 ? t.GridSize - 2 : im;
            ElectronNode m0 = t.Electron[off + im];
            ElectronNode m1 = t.Electron[off + im + 1];
            float lMid = m0.StoppingPower + fm * (m1.StoppingPower - m0.StoppingPower);
            float de = lMid * step;
            if (de > p.E)
            {
                de = p.E;
                step = de / lMid;
            }

            // A zero-length step (hard event at once) loses nothing; 0/0 here made the energy NaN, and a NaN electron
            // walked straight through the grid depositing nothing (1 in ~10⁷ draws).
            float rate = step > 0f ? de / step : lMid;
            float g1 = m0.TransportSigma + fm * (m1.TransportSigma - m0.TransportSigma);

            // Random hinge: straight to ζ·step, deflect, straight for the rest.
            float first = hist.Rng.NextFloat() * step;
            float moved = 0f;
            int status = Walk(ref hist, ref p, first, rate, m, ph, s, ref moved);
            if (primary)
            {
                TrackPrimaryDepth(ref hist, p, src);
            }

            if (status != WalkDone)
            {
                gx = AfterLoss(t, gx, rate * moved, p.E);
                p.E -= rate * moved;
                eta -= sigHard * moved;
                if (status == WalkLeftGrid)
                {
                    Escape(s, p.E > 0 ? p.E + (positron ? 2 * ElectronMass : 0) : (positron ? 2 * ElectronMass : 0));
                    return;
                }

                MultipleScatter(ref hist, ref p, t, moved * g1);
                continue;
            }

            MultipleScatter(ref hist, ref p, t, step * g1);
            float moved2 = 0f;
            status = Walk(ref hist, ref p, step - first, rate, m, ph, s, ref moved2);
            gx = AfterLoss(t, gx, rate * (first + moved2), p.E);
            p.E -= rate * (first + moved2);
            eta -= sigHard * (first + moved2);
            if (primary)
            {
                TrackPrimaryDepth(ref hist, p, src);
            }

            if (status == WalkLeftGrid)
            {
                Escape(s, p.E > 0 ? p.E + (positron ? 2 * ElectronMass : 0) : (positron ? 2 * ElectronMass : 0));
                return;
            }

            if (status != WalkDone || !hard || p.E <= run.ElectronCut)
            {
                continue;
            }

            // Hard event candidate: accept with σ(E)/σ_max, then Møller or bremsstrahlung by their cross sections.
            eta = -XMath.Log(hist.Rng.NextFloat());
            int ih = gx <= 0 ? 0 : (int)gx;
            ih = ih > t.GridSize - 2 ? t.GridSize - 2 : ih;
            float fh = gx <= 0 ? 0 : XMath.Min(gx - ih, 1f);
            ElectronNode h0 = t.Electron[off + ih];
            ElectronNode h1 = t.Electron[off + ih + 1];
            float sm = h0.MollerSigma + fh * (h1.MollerSigma - h0.MollerSigma);
            float sb = h0.BremsSigma + fh * (h1.BremsSigma - h0.BremsSigma);
            if (hist.Rng.NextFloat() * sigHard > sm + sb)
            {
                continue;
            }

            if (hist.Rng.NextFloat() * (sm + sb) < sm)
            {
                Moller(ref hist, ref p, s, run);
            }
            else
            {
                Bremsstrahlung(ref hist, ref p, s, run);
            }

            gx = GridCoordinate(t, p.E);
        }

        if (p.E > 0)
        {
            Deposit(ref hist, s, p.Voxel, p.E);
        }

        if (positron)
        {
            Annihilate(ref hist, ref p, s);
        }
    }

    /// <summary>Grid coordinate (node units) of ln E.</summary>
    private static float GridCoordinate(in KernelTables t, float e) => (XMath.Log(e) - t.LogMin) * t.InvLogStep;

    /// <summary>
    /// Grid coordinate after a continuous loss <paramref name="de"/> from <paramref name="e"/>: ln(1 − δ) by its series
    /// (error δ⁵/5 &lt; 2·10⁻⁶ for the ≤ 10 % steps), a logarithm only for large losses.
    /// </summary>
    private static float AfterLoss(in KernelTables t, float gx, float de, float e)
    {
        float d = de / e;
        if (d > 0.25f || d >= 1f)
        {
            return d >= 1f ? gx : GridCoordinate(t, e - de);
        }

        float d2 = d * d;
        return gx - (d + 0.5f * d2 + 0.33333334f * d2 * d + 0.25f * d2 * d2) * t.InvLogStep;
    }

    /// <summary>
    /// Moves a charged particle straight through <paramref name="mass"/> g/cm², voxel by voxel, depositing
    /// <paramref name="rate"/> MeV per g/cm² on the way. Stops early at a change of material or at the grid boundary;
    /// <paramref name="moved"/> receives the mass thickness actually travelled.
    /// </summary>
    private static int Walk(ref History hist, ref Particle p, float mass, float rate, int material, in KernelPhantom ph, in KernelScratch s, ref float moved)
    {
        float remaining = mass;
        for (int guard = 0; guard < 4096; guard++)
        {
            float rho = ph.Voxels[p.Voxel].Density;
            float need0 = remaining / rho;
            // Safety: closer to no face than the path length ⇒ the segment ends inside this voxel, no divisions needed.
            float fx = p.X - p.Ix * ph.Dx, fy = p.Y - p.Iy * ph.Dy, fz = p.Z - p.Iz * ph.Dz;
            float safety = XMath.Min(XMath.Min(XMath.Min(fx, ph.Dx - fx), XMath.Min(fy, ph.Dy - fy)), XMath.Min(fz, ph.Dz - fz));
            if (need0 < safety)
            {
                p.X += need0 * p.U;
                p.Y += need0 * p.V;
                p.Z += need0 * p.W;
                Deposit(ref hist, s, p.Voxel, rate * remaining);
                moved += remaining;
                return WalkDone;
            }

            float dx = p.U > 0 ? ((p.Ix + 1) * ph.Dx - p.X) / p.U : p.U < 0 ? (p.Ix * ph.Dx - p.X) / p.U : 1e30f;
            float dy = p.V > 0 ? ((p.Iy + 1) * ph.Dy - p.Y) / p.V : p.V < 0 ? (p.Iy * ph.Dy - p.Y) / p.V : 1e30f;
            float dz = p.W > 0 ? ((p.Iz + 1) * ph.Dz - p.Z) / p.W : p.W < 0 ? (p.Iz * ph.Dz - p.Z) / p.W : 1e30f;
            int axis = 0;
            float db = dx;
            if (dy < db)
            {
                db = dy;
                axis = 1;
            }

            if (dz < db)
            {
                db = dz;
                axis = 2;
            }

            if (db < 0)
            {
                db = 0;
            }

            float need = need0;
            if (need <= db)
            {
                p.X += need * p.U;
                p.Y += need * p.V;
                p.Z += need * p.W;
                Deposit(ref hist, s, p.Voxel, rate * remaining);
                moved += remaining;
                return WalkDone;
            }

            p.X += db * p.U;
            p.Y += db * p.V;
            p.Z += db * p.W;
            float used = rho * db;
            Deposit(ref hist, s, p.Voxel, rate * used);
            moved += used;
            remaining -= used;
            if (axis == 0)
            {
                p.Ix += p.U > 0 ? 1 : -1;
                if (p.Ix < 0 || p.Ix >= ph.Nx)
                {
                    return WalkLeftGrid;
                }
            }
            else if (axis == 1)
            {
                p.Iy += p.V > 0 ? 1 : -1;
                if (p.Iy < 0 || p.Iy >= ph.Ny)
                {
                    return WalkLeftGrid;
                }
            }
            else
            {
                p.Iz += p.W > 0 ? 1 : -1;
                if (p.Iz < 0 || p.Iz >= ph.Nz)
                {
                    return WalkLeftGrid;
                }
            }

            p.Voxel = p.Ix + ph.Nx * (p.Iy + ph.Ny * p.Iz);
            if (ph.Voxels[p.Voxel].Material != material)
            {
                return WalkMaterialChange;
            }
        }

        return WalkDone;
    }

    /// <summary>
    /// One multiple-scattering deflection for a path of G1 = s/λ₁ transport mean free paths: a Wentzel distribution
    /// p(μ) = A(1+A)/(μ+A)², μ = (1 − cos θ)/2, whose screening A reproduces the Goudsmit–Saunderson first moment
    /// ⟨1 − cos θ⟩ = 1 − e^{−G1} exactly (tabulated A(G1), <see cref="PhysicsTables.WentzelScreeningForG1"/>);
    /// isotropic beyond the table.
    /// </summary>
    private static void MultipleScatter(ref History hist, ref Particle p, in KernelTables t, float g1)
    {
        if (g1 <= 1e-5f)
        {
            return;
        }

        float cosT;
        float r = hist.Rng.NextFloat();
        float x = (XMath.Log(g1) - t.MsLogMin) * t.MsInvLogStep;
        if (x >= t.MsGridSize - 1)
        {
            cosT = 1f - 2f * r;
        }
        else
        {
            int i = (int)x;
            float f = x - i;
            float a = t.MsA[i] + f * (t.MsA[i + 1] - t.MsA[i]);
            float mu = a * r / (1f + a - r);
            cosT = 1f - 2f * mu;
        }

        Rotate(ref p, cosT, ref hist);
    }

    /// <summary>Hard Møller collision: δ-ray energy from the Møller cross section, kinematic angles for both.</summary>
    private static void Moller(ref History hist, ref Particle p, in KernelScratch s, in KernelRun run)
    {
        float te = p.E;
        float tau = te / ElectronMass;
        float g = tau + 1f;
        float c1 = tau * tau / (g * g);
        float c2 = (2f * tau + 1f) / (g * g);
        float e0 = run.MollerThreshold / te;
        if (e0 >= 0.5f)
        {
            return;
        }

        float eps = e0;
        float gMax = 2f + 0.25f * c1;
        for (int n = 0; n < 1000; n++)
        {
            eps = e0 / (1f - hist.Rng.NextFloat() * (1f - 2f * e0));
            float q = eps / (1f - eps);
            float gv = 1f + q * q + c1 * eps * eps - c2 * q;
            if (hist.Rng.NextFloat() * gMax <= gv)
            {
                break;
            }
        }

        float w = eps * te;
        float tp = te - w;
        float cosP = XMath.Sqrt(tp * (te + 2f * ElectronMass) / (te * (tp + 2f * ElectronMass)));
        float cosD = XMath.Sqrt(w * (te + 2f * ElectronMass) / (te * (w + 2f * ElectronMass)));
        float phi = TwoPi * hist.Rng.NextFloat();
        float cphi = XMath.Cos(phi), sphi = XMath.Sin(phi);
        var d = p;
        d.E = w;
        d.Flags = FlagElectron;
        Rotate(ref d.U, ref d.V, ref d.W, cosD, -cphi, -sphi);
        Rotate(ref p.U, ref p.V, ref p.W, cosP, cphi, sphi);
        p.E = tp;
        CreateElectron(ref hist, ref d, s, run);
    }

    /// <summary>Hard bremsstrahlung: photon energy from k·dσ/dk ∝ 4/3 − 4/3 y + y² (y = k/T) above the threshold.</summary>
    private static void Bremsstrahlung(ref History hist, ref Particle p, in KernelScratch s, in KernelRun run)
    {
        float te = p.E;
        float yc = run.BremsThreshold / te;
        if (yc >= 1f)
        {
            return;
        }

        float lnyc = XMath.Log(yc);
        float y = yc;
        for (int n = 0; n < 1000; n++)
        {
            y = XMath.Exp(lnyc * hist.Rng.NextFloat());
            if (hist.Rng.NextFloat() <= 1f - y + 0.75f * y * y)
            {
                break;
            }
        }

        float k = y * te;
        if (k >= te)
        {
            k = te;
        }

        var g = p;
        g.E = k;
        g.Flags = 0;
        p.E = te - k;
        // The photon keeps the electron's direction (bremsstrahlung angles ~ m c²/E are below the voxel scale).
        if (k > run.PhotonCut)
        {
            Push(ref hist, s, ref g);
        }
        else
        {
            Deposit(ref hist, s, p.Voxel, k);
        }
    }
}
