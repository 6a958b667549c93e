using System.Runtime.CompilerServices;
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

            VoxelRecord vr = ph.Voxels[p.Voxel];
            int off = vr.Material * t.GridSize;
            NodeAt(t, gx, out int i, out float f);
            ElectronNode a0 = t.Electron[off + i];
            ElectronNode a1 = t.Electron[off + i + 1];
            if (p.E < run.RangeRejectionBelow && (a0.CsdaRange + f * (a1.CsdaRange - a0.CsdaRange)) / vr.Density < DistanceToNearestFace(p, ph))
            {
                // Range rejection: the CSDA range cannot reach the nearest face of this voxel.
                break;
            }

            ElectronStep step = PlanStep(t, p.E, off, i, f, a0, a1, eta);
            int status = TakeStep(ref hist, ref p, t, ph, src, s, step, vr.Material, primary, ref gx, ref eta);
            if (status == WalkLeftGrid)
            {
                Escape(hist, s, p.E > 0 ? p.E + (positron ? 2 * ElectronMass : 0) : (positron ? 2 * ElectronMass : 0));
                return;
            }

            if (status == WalkDone && step.Hard && p.E > run.ElectronCut)
            {
                HardEventCandidate(ref hist, ref p, t, s, run, off, step.SigmaHard, ref gx, ref eta);
            }
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

    /// <summary>Table node and fraction of grid coordinate <paramref name="gx"/>, clamped to the table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NodeAt(in KernelTables t, float gx, out int i, out float f)
    {
        i = gx <= 0 ? 0 : (int)gx;
        i = i > t.GridSize - 2 ? t.GridSize - 2 : i;
        f = gx <= 0 ? 0 : XMath.Min(gx - i, 1f);
    }

    /// <summary>
    /// The next step of an electron of energy <paramref name="e"/> at table node <paramref name="i"/> + <paramref name="f"/>
    /// of the material at <paramref name="off"/>: its length (the maximum step, or the distance to the hard event
    /// <paramref name="eta"/> majorant mean free paths away), the loss rate at its mid energy and the scattering power.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ElectronStep PlanStep(in KernelTables t, float e, int off, int i, float f, in ElectronNode a0, in ElectronNode a1, float eta)
    {
        float sigHard = a0.HardSigmaMax + f * (a1.HardSigmaMax - a0.HardSigmaMax);
        float tMax = a0.MaxStep + f * (a1.MaxStep - a0.MaxStep);
        // η is 0 when the uniform draw is exactly 1 (NextFloat is in (0, 1]) and may round a hair below 0 after a
        // step that ended on the hard event at a boundary: the event is then here, at zero distance.
        float tHard = sigHard > 0 ? XMath.Max(eta, 0f) / sigHard : 1e30f;
        bool hard = tHard < tMax;
        float step = hard ? tHard : tMax;

        // Continuous loss with the stopping power at the step's mid energy (second order in the step).
        float l0 = a0.StoppingPower + f * (a1.StoppingPower - a0.StoppingPower);
        float eMid = e - 0.5f * l0 * step;
        if (eMid < 0.5f * e)
        {
            eMid = 0.5f * e;
        }

        // ln(eMid) = ln E + ln(1 − δ): shift the grid coordinate instead of taking another logarithm.
        float delta = 1f - eMid / e;
        float xm = i + f - (delta + 0.5f * delta * delta + 0.33333334f * delta * delta * delta) * t.InvLogStep;
        int im = xm <= 0 ? 0 : (int)xm;
        float fm = xm <= 0 ? 0 : xm - im;
        im = im > t.GridSize - 2 ? t.GridSize - 2 : im;
        ElectronNode m0 = t.Electron[off + im];
        ElectronNode m1 = t.Electron[off + im + 1];
        float lMid = m0.StoppingPower + fm * (m1.StoppingPower - m0.StoppingPower);
        float de = lMid * step;
        if (de > e)
        {
            de = e;
            step = de / lMid;
        }

        return new ElectronStep
        {
            Length = step,
            // A zero-length step (hard event at once) loses nothing; 0/0 here made the energy NaN, and a NaN electron
            // walked straight through the grid depositing nothing (1 in ~10⁷ draws).
            Rate = step > 0f ? de / step : lMid,
            ScatteringPower = m0.TransportSigma + fm * (m1.TransportSigma - m0.TransportSigma),
            SigmaHard = sigHard,
            Hard = hard,
        };
    }

    /// <summary>
    /// Moves the electron along <paramref name="step"/>: straight to a random hinge, one multiple-scattering deflection,
    /// straight for the rest, losing energy (and hard-event distance) for the mass thickness travelled. Returns how the
    /// walk ended: <see cref="WalkDone"/> at the end of the step, else where it stopped early (the deflection then
    /// covers the path travelled).
    /// </summary>
    private static int TakeStep(ref History hist, ref Particle p, in KernelTables t, in KernelPhantom ph, in KernelSource src, in KernelScratch s, in ElectronStep step, int material, bool primary, ref float gx, ref float eta)
    {
        float rate = step.Rate;
        float first = hist.Rng.NextFloat() * step.Length;
        float moved = 0f;
        int status = Walk(ref hist, ref p, first, rate, material, ph, s, ref moved);
        if (primary)
        {
            TrackPrimaryDepth(ref hist, p, src);
        }

        if (status != WalkDone)
        {
            gx = AfterLoss(t, gx, rate * moved, p.E);
            p.E -= rate * moved;
            eta -= step.SigmaHard * moved;
            if (status != WalkLeftGrid)
            {
                MultipleScatter(ref hist, ref p, t, moved * step.ScatteringPower);
            }

            return status;
        }

        MultipleScatter(ref hist, ref p, t, step.Length * step.ScatteringPower);
        float moved2 = 0f;
        status = Walk(ref hist, ref p, step.Length - first, rate, material, ph, s, ref moved2);
        gx = AfterLoss(t, gx, rate * (first + moved2), p.E);
        p.E -= rate * (first + moved2);
        eta -= step.SigmaHard * (first + moved2);
        if (primary)
        {
            TrackPrimaryDepth(ref hist, p, src);
        }

        return status;
    }

    /// <summary>
    /// A hard-event candidate at the end of a step: a fresh distance to the next one, then acceptance with σ(E)/σ_max
    /// and Møller or bremsstrahlung by their cross sections.
    /// </summary>
    private static void HardEventCandidate(ref History hist, ref Particle p, in KernelTables t, in KernelScratch s, in KernelRun run, int off, float sigHard, ref float gx, ref float eta)
    {
        eta = -XMath.Log(hist.Rng.NextFloat());
        NodeAt(t, gx, out int ih, out float fh);
        ElectronNode h0 = t.Electron[off + ih];
        ElectronNode h1 = t.Electron[off + ih + 1];
        float sm = h0.MollerSigma + fh * (h1.MollerSigma - h0.MollerSigma);
        float sb = h0.BremsSigma + fh * (h1.BremsSigma - h0.BremsSigma);
        if (hist.Rng.NextFloat() * sigHard > sm + sb)
        {
            return;
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
            float need = remaining / rho;
            // Safety: closer to no face than the path length ⇒ the segment ends inside this voxel, no divisions needed.
            // (Negated comparisons, so that a NaN length crosses the face rather than ending the walk here.)
            if (!(need < DistanceToNearestFace(p, ph)))
            {
                float db = DistanceToExitFace(p, ph, out int axis);
                if (!(need <= db))
                {
                    // Up to the face, then into the next voxel.
                    Advance(ref p, db);
                    float used = rho * db;
                    Deposit(ref hist, s, p.Voxel, rate * used);
                    moved += used;
                    remaining -= used;
                    if (!CrossFace(ref p, ph, axis))
                    {
                        return WalkLeftGrid;
                    }

                    if (ph.Voxels[p.Voxel].Material != material)
                    {
                        return WalkMaterialChange;
                    }

                    continue;
                }
            }

            Advance(ref p, need);
            Deposit(ref hist, s, p.Voxel, rate * remaining);
            moved += remaining;
            return WalkDone;
        }

        return WalkDone;
    }

    /// <summary>Distance (cm) to the face of the particle's voxel it crosses first along its direction, and that face's axis.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DistanceToExitFace(in Particle p, in KernelPhantom ph, out int axis)
    {
        float dx = p.U > 0 ? ((p.Ix + 1) * ph.Dx - p.X) / p.U : p.U < 0 ? (p.Ix * ph.Dx - p.X) / p.U : 1e30f;
        float dy = p.V > 0 ? ((p.Iy + 1) * ph.Dy - p.Y) / p.V : p.V < 0 ? (p.Iy * ph.Dy - p.Y) / p.V : 1e30f;
        float dz = p.W > 0 ? ((p.Iz + 1) * ph.Dz - p.Z) / p.W : p.W < 0 ? (p.Iz * ph.Dz - p.Z) / p.W : 1e30f;
        axis = 0;
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

        return db < 0 ? 0 : db;
    }

    /// <summary>Steps the voxel index across the face of axis <paramref name="axis"/>; false when that leaves the grid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CrossFace(ref Particle p, in KernelPhantom ph, int axis)
    {
        if (axis == 0)
        {
            p.Ix += p.U > 0 ? 1 : -1;
            if (p.Ix < 0 || p.Ix >= ph.Nx)
            {
                return false;
            }
        }
        else if (axis == 1)
        {
            p.Iy += p.V > 0 ? 1 : -1;
            if (p.Iy < 0 || p.Iy >= ph.Ny)
            {
                return false;
            }
        }
        else
        {
            p.Iz += p.W > 0 ? 1 : -1;
            if (p.Iz < 0 || p.Iz >= ph.Nz)
            {
                return false;
            }
        }

        p.Voxel = p.Ix + ph.Nx * (p.Iy + ph.Ny * p.Iz);
        return true;
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
