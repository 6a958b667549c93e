using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// Extended position-based dynamics (Macklin, Müller &amp; Chentanez 2016) on a tetrahedral soft body, with substeps
/// (Macklin et al. 2019). Each substep of h = Δt / substeps:
/// <list type="number">
/// <item>predict: v ← (v + h·g)·free, x_prev ← x, x ← x + h·v;</item>
/// <item>per pass: project the Neo-Hookean constraints colour by colour (each colour split over the workers, SIMD
/// within), then the instrument's constraints (<see cref="ISubstepConstraints"/>), Δλ = (−C − α̃λ)/(∇C M⁻¹∇Cᵀ + α̃);</item>
/// <item>v ← (x − x_prev)/h · (1 − c·h) (mass-proportional damping).</item>
/// </list>
/// Fixed time step, no allocation per step; the result depends neither on the thread count nor on timing (colours
/// hold disjoint nodes, the work split is fixed).
/// </summary>
public sealed class XpbdSolver : IDisposable
{
    private readonly WorkerTeam? _team;
    private readonly int _workers;
    private readonly bool _simd;
    private bool _stepHasConstraints;
    private int _mainSense;

    /// <summary>Creates a solver and a state at rest.</summary>
    public XpbdSolver(SoftBodyModel model, XpbdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Model = model;
        Settings = settings;
        State = new SoftBodyState(model);
        _simd = settings.UseSimd && NeoHookeanKernel.SimdAvailable;

        // One worker per region at most; worker w takes regions w, w + n, …
        _workers = Math.Max(1, Math.Min(settings.Threads, model.Partitions));
        if (_workers > 1)
        {
            _team = new WorkerTeam(this, _workers);
        }
    }

    /// <summary>The model.</summary>
    public SoftBodyModel Model { get; }

    /// <summary>The evolving state.</summary>
    public SoftBodyState State { get; }

    /// <summary>The settings.</summary>
    public XpbdSettings Settings { get; }

    /// <summary>True when the Vector256 kernel runs (requested and hardware-accelerated).</summary>
    public bool UsesSimd => _simd;

    /// <summary>Worker threads in use (may be fewer than requested for small meshes).</summary>
    public int Workers => _workers;

    /// <summary>Advances one step of <see cref="XpbdSettings.StepSeconds"/> with no instrument.</summary>
    public void Step()
    {
        var none = default(NoConstraints);
        Step(ref none);
    }

    /// <summary>Advances one step; <paramref name="constraints"/> are solved in every substep after the tissue.</summary>
    public void Step<T>(ref T constraints)
        where T : struct, ISubstepConstraints
    {
        int sense = _mainSense;
        _stepHasConstraints = typeof(T) != typeof(NoConstraints);
        _team?.Start();
        RunSteps(0, ref constraints, ref sense);
        _mainSense = sense;
        State.TimeSeconds += Settings.StepSeconds;
        State.Steps++;
    }

    /// <summary>Releases the worker threads.</summary>
    public void Dispose() => _team?.Dispose();

    /// <summary>Entry point of workers 1…n−1 for one step.</summary>
    internal void RunWorker(int worker, ref int sense)
    {
        var none = default(NoConstraints);
        RunSteps(worker, ref none, ref sense);
    }

    private void RunSteps<T>(int worker, ref T constraints, ref int sense)
        where T : struct, ISubstepConstraints
    {
        bool hasConstraints = _stepHasConstraints;
        int substeps = Settings.Substeps, iterations = Settings.Iterations;
        double hd = Settings.SubstepSeconds;
        float h = (float)hd;
        float invH2 = (float)(1.0 / (hd * hd));
        double t0 = State.TimeSeconds;
        int partitions = Model.Partitions;
        for (int s = 0; s < substeps; s++)
        {
            // Each worker moves the nodes it owns: no barrier between the last substep's velocity update and this prediction.
            for (int r = worker; r < partitions; r += _workers)
            {
                Integrate(Model.RegionNodes[r], h, s > 0);
            }

            if (worker == 0)
            {
                Integrate(Model.SharedNodes, h, s > 0);
            }

            if (hasConstraints)
            {
                // The instrument sees every predicted node, and the regions see what it moved.
                Sync(ref sense);
                if (worker == 0 && typeof(T) != typeof(NoConstraints))
                {
                    constraints.BeginSubstep(State, t0 + (s + 1) * hd, h);
                }

                Sync(ref sense);
            }

            for (int it = 0; it < iterations; it++)
            {
                bool read = it > 0, write = it < iterations - 1;
                for (int r = worker; r < partitions; r += _workers)
                {
                    ProjectColours(Model.RegionColourStarts[r], invH2, read, write);
                }

                Sync(ref sense);
                if (worker == 0)
                {
                    ProjectColours(Model.BoundaryColourStarts, invH2, read, write);
                    if (typeof(T) != typeof(NoConstraints))
                    {
                        constraints.Project(State, h, it);
                        if (it == iterations - 1)
                        {
                            constraints.EndSubstep(State, h);
                        }
                    }
                }

                Sync(ref sense);
            }
        }

        for (int r = worker; r < partitions; r += _workers)
        {
            UpdateVelocities(Model.RegionNodes[r], h);
        }

        if (worker == 0)
        {
            UpdateVelocities(Model.SharedNodes, h);
        }

        Sync(ref sense);
    }

    private void ProjectColours(int[] starts, float invH2, bool read, bool write)
    {
        for (int c = 0; c + 1 < starts.Length; c++)
        {
            if (_simd)
            {
                NeoHookeanKernel.ProjectSimd(State.Positions, Model.Columns, State.LambdaH, State.LambdaD, starts[c], starts[c + 1], invH2, read, write);
            }
            else
            {
                NeoHookeanKernel.ProjectScalar(State.Positions, Model.Columns, State.LambdaH, State.LambdaD, starts[c], starts[c + 1], invH2, read, write);
            }
        }
    }

    private void Sync(ref int sense) => _team?.Barrier(ref sense);

    /// <summary>For each node: (after the first substep) v ← (x − x_prev)/h·(1 − c·h); then v ← (v + h·g)·free, x_prev ← x, x ← x + h·v.</summary>
    private void Integrate(int[] nodes, float h, bool updateVelocity)
    {
        float[] x = State.Positions, prev = State.Previous, v = State.Velocities, free = Model.FreeMask;
        float gx = (float)Settings.GravityLps.X * h, gy = (float)Settings.GravityLps.Y * h, gz = (float)Settings.GravityLps.Z * h;
        float scale = VelocityScale(h);
        if (Vector128.IsHardwareAccelerated && _simd)
        {
            ref float rx = ref MemoryMarshal.GetArrayDataReference(x);
            ref float rp = ref MemoryMarshal.GetArrayDataReference(prev);
            ref float rv = ref MemoryMarshal.GetArrayDataReference(v);
            ref float rf = ref MemoryMarshal.GetArrayDataReference(free);
            var g = Vector128.Create(gx, gy, gz, 0f);
            var vh = Vector128.Create(h);
            var vs = Vector128.Create(scale);
            foreach (int node in nodes)
            {
                nuint i = (nuint)(node << 2);
                Vector128<float> xi = Vector128.LoadUnsafe(ref rx, i);
                Vector128<float> vi = updateVelocity ? (xi - Vector128.LoadUnsafe(ref rp, i)) * vs : Vector128.LoadUnsafe(ref rv, i);
                vi = (vi + g) * Vector128.LoadUnsafe(ref rf, i);
                vi.StoreUnsafe(ref rv, i);
                xi.StoreUnsafe(ref rp, i);
                (xi + vi * vh).StoreUnsafe(ref rx, i);
            }

            return;
        }

        foreach (int node in nodes)
        {
            int i = node << 2;
            for (int c = 0; c < 3; c++)
            {
                float gc = c == 0 ? gx : c == 1 ? gy : gz;
                float vi = updateVelocity ? (x[i + c] - prev[i + c]) * scale : v[i + c];
                vi = (vi + gc) * free[i + c];
                v[i + c] = vi;
                prev[i + c] = x[i + c];
                x[i + c] = x[i + c] + vi * h;
            }
        }
    }

    private void UpdateVelocities(int[] nodes, float h)
    {
        float[] x = State.Positions, prev = State.Previous, v = State.Velocities;
        float scale = VelocityScale(h);
        foreach (int node in nodes)
        {
            int i = node << 2;
            v[i] = (x[i] - prev[i]) * scale;
            v[i + 1] = (x[i + 1] - prev[i + 1]) * scale;
            v[i + 2] = (x[i + 2] - prev[i + 2]) * scale;
        }
    }

    private float VelocityScale(float h) => (float)((1.0 - Math.Min(1.0, Settings.DampingPerSecond * h)) / h);
}
