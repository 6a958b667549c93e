using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MeTAI.Core.Compute;

namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// Extended position-based dynamics (Macklin, Müller &amp; Chentanez 2016) on a tetrahedral soft body, with substeps
/// (Macklin et al. 2019). Each substep of h = Δt / substeps:
/// <list type="number">
/// <item>predict: v ← (v + h·g)·free, x_prev ← x, x ← x + h·v (after the first substep v is first updated from the
/// last one: v ← (x − x_prev)/h·(1 − c·h), mass-proportional damping);</item>
/// <item>per pass: the interior tets of every spatial region (regions in parallel, colour by colour, SIMD within a
/// colour), then on the calling thread the boundary tets and the instrument's constraints
/// (<see cref="ISubstepConstraints"/>); each constraint takes Δλ = (−C − α̃λ)/(∇C M⁻¹∇Cᵀ + α̃), α̃ = α/h².</item>
/// </list>
/// Fixed time step, no allocation per step. The items of a parallel phase are claimed by whichever threads are running
/// (a <see cref="WorkerPool"/> whose idle workers spin briefly between phases) and touch disjoint nodes, so the result depends neither on the thread count nor on timing:
/// only on the model (its regions) and the settings.
/// </summary>
public sealed class XpbdSolver : IDisposable
{
    // Work item flags (see RunItem).
    private const int Integrate = 1;
    private const int VelocityFirst = 2;
    private const int Interior = 4;
    private const int ReadLambda = 8;
    private const int WriteLambda = 16;
    private const int VelocityOnly = 32;

    // Idle workers spin this long before sleeping: the phases of a step follow one another within microseconds, and a
    // real-time loop steps again within a millisecond.
    private static readonly TimeSpan SpinBeforeSleep = TimeSpan.FromMilliseconds(0.5);

    private readonly WorkerPool? _pool;
    private readonly PhaseJob _phase;
    private readonly int _workers;
    private readonly bool _simd;
    private float _h, _invH2;

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

        // More threads than regions cannot help: each phase has one item per region (plus the shared nodes).
        _workers = Math.Max(1, Math.Min(settings.Threads, model.Partitions));
        _phase = new PhaseJob(this);
        if (_workers > 1)
        {
            _pool = new WorkerPool(_workers, SpinBeforeSleep, "xpbd-worker");
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
        bool hasConstraints = typeof(T) != typeof(NoConstraints);
        int substeps = Settings.Substeps, iterations = Settings.Iterations;
        double hd = Settings.SubstepSeconds;
        _h = (float)hd;
        _invH2 = (float)(1.0 / (hd * hd));
        double t0 = State.TimeSeconds;
        int regions = Model.Partitions;
        for (int s = 0; s < substeps; s++)
        {
            int integrate = Integrate | (s > 0 ? VelocityFirst : 0);
            int firstPass = Interior | (iterations > 1 ? WriteLambda : 0);
            if (hasConstraints)
            {
                // The instrument moves first and sees every predicted node; the regions then see what it moved.
                RunPhase(integrate, regions + 1);
                constraints.BeginSubstep(State, t0 + (s + 1) * hd, _h);
                RunPhase(firstPass, regions);
            }
            else
            {
                RunPhase(integrate | firstPass, regions + 1);
            }

            for (int it = 0; it < iterations; it++)
            {
                if (it > 0)
                {
                    RunPhase(Interior | ReadLambda | (it < iterations - 1 ? WriteLambda : 0), regions);
                }

                // Serial part on the calling thread: boundary tets, then the instrument.
                ProjectColours(Model.BoundaryColourStarts, _invH2, it > 0, it < iterations - 1);
                if (hasConstraints)
                {
                    constraints.Project(State, _h, it);
                    if (it == iterations - 1)
                    {
                        constraints.EndSubstep(State, _h);
                    }
                }
            }
        }

        RunPhase(VelocityOnly, regions + 1);
        State.TimeSeconds += Settings.StepSeconds;
        State.Steps++;
    }

    /// <summary>Releases the worker threads.</summary>
    public void Dispose() => _pool?.Dispose();

    /// <summary>
    /// One work item: region <paramref name="index"/> (its nodes and, with <see cref="Interior"/>, its interior tets) or,
    /// for index = regions, the shared nodes. Items of one phase touch disjoint nodes.
    /// </summary>
    private void RunItem(int flags, int index)
    {
        bool shared = index >= Model.Partitions;
        int[] nodes = shared ? Model.SharedNodes : Model.RegionNodes[index];
        if ((flags & VelocityOnly) != 0)
        {
            UpdateVelocities(nodes, _h);
        }

        if ((flags & Integrate) != 0)
        {
            IntegrateNodes(nodes, _h, (flags & VelocityFirst) != 0);
        }

        if ((flags & Interior) != 0 && !shared)
        {
            ProjectColours(Model.RegionColourStarts[index], _invH2, (flags & ReadLambda) != 0, (flags & WriteLambda) != 0);
        }
    }

    private void RunPhase(int flags, int items)
    {
        if (_pool is not null)
        {
            // The pool's ticket publishes the flags written here to the workers.
            _phase.Flags = flags;
            _pool.Run(_phase, items);
            return;
        }

        for (int i = 0; i < items; i++)
        {
            RunItem(flags, i);
        }
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

    /// <summary>For each node: (after the first substep) v ← (x − x_prev)/h·(1 − c·h); then v ← (v + h·g)·free, x_prev ← x, x ← x + h·v.</summary>
    private void IntegrateNodes(int[] nodes, float h, bool updateVelocity)
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

    /// <summary>The items of one phase for the pool: reused every phase, so stepping allocates nothing.</summary>
    private sealed class PhaseJob(XpbdSolver solver) : IParallelJob
    {
        public int Flags;

        public void Execute(int item) => solver.RunItem(Flags, item);
    }
}
