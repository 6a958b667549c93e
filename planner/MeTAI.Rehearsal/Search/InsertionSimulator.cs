using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Search;

/// <summary>
/// Simulates straight needle insertions into one avatar: the body starts at rest, the needle starts
/// <see cref="InsertionSettings.StandoffMm"/> outside the entry point and advances at constant speed to the (rest)
/// target, then the tissue settles. Clearance to avoided ROIs, force and the deformed target are tracked every step.
/// One simulator is reused for many candidates (one per thread); nothing is allocated per step.
/// </summary>
public sealed class InsertionSimulator : IDisposable
{
    private const int ForceSampleEvery = 10;

    private readonly ClearanceTracker[] _trackers;
    private readonly EmbeddedPoints _target;
    private readonly InsertionSettings _insertion;
    private readonly TetMesh _mesh;

    /// <summary>Creates a simulator.</summary>
    /// <param name="model">The soft body (shared, read-only).</param>
    /// <param name="xpbd">Time stepping.</param>
    /// <param name="needle">The needle.</param>
    /// <param name="insertion">Speed, stand-off, settling.</param>
    /// <param name="avoid">Embedded boundary points of each ROI to avoid (shared, read-only).</param>
    /// <param name="target">One embedded point: the target.</param>
    public InsertionSimulator(SoftBodyModel model, XpbdSettings xpbd, NeedleSettings needle, InsertionSettings insertion,
        IReadOnlyList<(string Name, EmbeddedPoints Points)> avoid, EmbeddedPoints target)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(insertion);
        ArgumentNullException.ThrowIfNull(avoid);
        ArgumentNullException.ThrowIfNull(target);
        insertion.Validate();
        if (target.Count != 1)
        {
            throw new ArgumentException("The target is one embedded point.", nameof(target));
        }

        _mesh = model.Mesh;
        Solver = new XpbdSolver(model, xpbd);
        Needle = new Needle(model, needle);
        _insertion = insertion;
        _target = target;
        _trackers = new ClearanceTracker[avoid.Count];
        for (int a = 0; a < avoid.Count; a++)
        {
            _trackers[a] = new ClearanceTracker(avoid[a].Name, avoid[a].Points, model.Mesh);
        }
    }

    /// <summary>The solver (its state is the body).</summary>
    public XpbdSolver Solver { get; }

    /// <summary>The needle.</summary>
    public Needle Needle { get; }

    /// <summary>The straight path the needle follows for an entry and a target.</summary>
    public static Trajectory PathFor(Vec3 entryLps, Vec3 targetLps, InsertionSettings insertion)
    {
        ArgumentNullException.ThrowIfNull(insertion);
        Vec3 direction = (targetLps - entryLps).Normalized();
        return Trajectory.Straight(entryLps - direction * insertion.StandoffMm, targetLps, insertion.SpeedMmPerS, 5);
    }

    /// <summary>
    /// The entry moved back along the path until it lies outside the (smoothed) skin mesh: entries come from the
    /// voxel body mask, whose surface voxel centres can lie inside the mesh surface by up to a mesh cell.
    /// </summary>
    private Vec3 OutsideSkin(Vec3 entryLps, Vec3 targetLps)
    {
        Vec3 back = (entryLps - targetLps).Normalized();
        Vec3 p = entryLps;
        for (int n = 0; n < 400 && _mesh.TryLocate(p, out _, out _); n++)
        {
            p += back * 0.5;
        }

        return p;
    }

    /// <summary>Simulates one insertion from <paramref name="entryLps"/> to <paramref name="targetLps"/>.</summary>
    public InsertionResult Run(Vec3 entryLps, Vec3 targetLps)
    {
        Trajectory path = PathFor(OutsideSkin(entryLps, targetLps), targetLps, _insertion);
        SoftBodyState state = Solver.State;
        state.Reset();
        Needle.Follow(path);
        foreach (ClearanceTracker t in _trackers)
        {
            t.Reset();
        }

        double dt = Solver.Settings.StepSeconds;
        int steps = (int)Math.Ceiling((path.DurationSeconds + _insertion.SettleSeconds) / dt);
        var trace = new float[(steps + ForceSampleEvery - 1) / ForceSampleEvery];
        var constraints = new NeedleConstraints(Needle);
        double radius = Needle.Settings.RadiusMm;
        var clock = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++)
        {
            Solver.Step(ref constraints);
            Vec3 tip = Needle.TipLps, hub = Needle.HubLps;
            foreach (ClearanceTracker t in _trackers)
            {
                t.Update(state, tip, hub, radius);
            }

            if (s % ForceSampleEvery == 0)
            {
                trace[s / ForceSampleEvery] = (float)Needle.Wrench.AxialForceN;
            }
        }

        clock.Stop();
        var byRoi = new Dictionary<string, double>(StringComparer.Ordinal);
        double min = double.PositiveInfinity;
        foreach (ClearanceTracker t in _trackers)
        {
            byRoi[t.Name] = t.MinClearanceMm;
            min = Math.Min(min, t.MinClearanceMm);
        }

        Vec3 finalTarget = state.EmbeddedLps(_target, 0);
        return new InsertionResult
        {
            EntryLps = entryLps,
            TargetLps = targetLps,
            MinClearanceMm = min,
            ClearanceByRoiMm = byRoi,
            PeakForceN = Needle.PeakAxialForceN,
            TargetErrorMm = Vec3.Distance(Needle.TipLps, finalTarget),
            PathLengthMm = Vec3.Distance(entryLps, targetLps),
            Punctures = Needle.Punctures.ToArray(),
            BlockedByBone = Needle.BlockedByFixedTissue,
            FinalTipLps = Needle.TipLps,
            FinalTargetLps = finalTarget,
            Steps = steps,
            WallSeconds = clock.Elapsed.TotalSeconds,
            AxialForceTraceN = trace,
            ForceSampleEverySteps = ForceSampleEvery,
        };
    }

    /// <summary>Releases the solver's worker threads.</summary>
    public void Dispose() => Solver.Dispose();
}
