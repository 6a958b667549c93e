using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Core.Voxels;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Search;

/// <summary>
/// Rehearses a needle approach: samples skin entries in the allowed region (<see cref="EntryCandidates"/>), simulates the
/// insertion along each (<see cref="InsertionSimulator"/>, candidates in parallel, each simulation single-threaded),
/// scores (<see cref="CandidateScore"/>), ranks, and turns the best into a <see cref="Trajectory"/> and a
/// <see cref="Corridor"/>. Deterministic for a given seed whatever the thread count.
/// </summary>
public static class TrajectorySearch
{
    /// <summary>Runs the search; <paramref name="progress"/> gets (done, total) as candidates finish, <paramref name="cancellationToken"/> is checked between candidates.</summary>
    /// <exception cref="KeyNotFoundException">An ROI is not in the case.</exception>
    /// <exception cref="ArgumentException">The target is also to be avoided, or no entry is possible.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static RehearsalPlan Run(PatientAvatar avatar, string targetRoi, IReadOnlyList<string> avoidRois, SearchSettings search,
        XpbdSettings xpbd, NeedleSettings needle, InsertionSettings insertion, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(avatar);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetRoi);
        ArgumentNullException.ThrowIfNull(avoidRois);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(xpbd);
        ArgumentNullException.ThrowIfNull(needle);
        ArgumentNullException.ThrowIfNull(insertion);
        search.Validate();
        insertion.Validate();
        CheckGravity(avatar, xpbd);

        VoxelMask target = avatar.Structure(targetRoi);
        Vec3 targetLps = target.CentroidLps();
        List<(string Name, EmbeddedPoints Points)> avoid = AvoidedSurfaces(avatar, target, avoidRois, insertion);
        VoxelMask? bone = BoneMask(avatar, search.BoneMarginMm + needle.RadiusMm);
        Vec3? defaultEntry = avatar.LandmarksLps.TryGetValue(search.DefaultEntryLandmark, out Vec3 d) ? d : null;
        EntryCandidates sampling = EntryCandidates.Select(avatar.Body, targetLps, bone, [.. avoid.Select(a => a.Points.RestLps)], defaultEntry, needle.RadiusMm, search, avatar.DownLps);
        if (sampling.EntriesLps.Count == 0)
        {
            throw new ArgumentException(
                $"No skin entry reaches '{targetRoi}' within {search.MaxPathMm} mm without crossing bone ({sampling.SkinPoints} skin points: "
                + $"{sampling.OutsideRegion} outside the allowed region, {sampling.CrossesBone} crossing bone).");
        }

        Dictionary<string, bool> defaultCrosses = DefaultPathCrosses(avatar, avoidRois, defaultEntry, targetLps);
        SoftBodyModel model = SoftBodyModel.Create(avatar);
        EmbeddedPoints targetPoint = EmbeddedPoints.FromPoints(avatar.Mesh, [targetLps]);
        var clock = Stopwatch.StartNew();
        var run = new SimulationRun(search.Threads, progress, cancellationToken);
        InsertionResult[] results = SimulateAll(model, xpbd with { Threads = 1 }, needle, insertion, avoid, targetPoint, sampling.EntriesLps, targetLps, run, out bool simd);
        clock.Stop();
        RankedCandidate[] ranked = Rank(results, sampling, search.MinClearanceMm);
        long steps = 0;
        double simSeconds = 0;
        foreach (RankedCandidate r in ranked)
        {
            steps += r.Result.Steps;
            simSeconds += r.Result.WallSeconds;
        }

        InsertionResult best = ranked[0].Result;
        Trajectory trajectory = InsertionSimulator.PathFor(best.EntryLps, targetLps, insertion);
        double radius = Math.Min(search.CorridorRadiusMm, Math.Max(0.5, best.MinClearanceMm - 1));
        var corridor = new Corridor([trajectory.Samples[0].TipLps, best.EntryLps, targetLps], radius, best.EntryLps, targetLps);
        return new RehearsalPlan
        {
            CaseName = avatar.Name,
            TargetRoi = target.Name,
            AvoidRois = [.. avoid.Select(a => a.Name)],
            TargetLps = targetLps,
            Candidates = ranked,
            Trajectory = trajectory,
            Corridor = corridor,
            Sampling = sampling,
            DefaultPathCrosses = defaultCrosses,
            Tets = avatar.Mesh.TetCount,
            Nodes = avatar.Mesh.NodeCount,
            Colours = model.ColourCount,
            CellMm = avatar.CellMm,
            StepsPerSecond = simSeconds > 0 ? steps / simSeconds : 0,
            ThroughputStepsPerSecond = clock.Elapsed.TotalSeconds > 0 ? steps / clock.Elapsed.TotalSeconds : 0,
            WallSeconds = clock.Elapsed.TotalSeconds,
            TotalSteps = steps,
            Simd = simd,
            Search = search,
            Insertion = insertion,
            Xpbd = xpbd,
            Position = avatar.Position,
        };
    }

    /// <summary>Whether the straight path from the default entry landmark (when the avatar has one) crosses each avoided ROI.</summary>
    private static Dictionary<string, bool> DefaultPathCrosses(PatientAvatar avatar, IReadOnlyList<string> avoidRois, Vec3? defaultEntry, Vec3 targetLps)
    {
        var crosses = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (defaultEntry is Vec3 entry0)
        {
            foreach (string roi in avoidRois)
            {
                VoxelMask mask = avatar.Structure(roi);
                crosses[mask.Name] = RestGeometry.Crosses(mask, entry0, targetLps);
            }
        }

        return crosses;
    }

    /// <summary>Clearance points on the surface of each avoided ROI (none may be the target).</summary>
    private static List<(string Name, EmbeddedPoints Points)> AvoidedSurfaces(PatientAvatar avatar, VoxelMask target, IReadOnlyList<string> avoidRois, InsertionSettings insertion)
    {
        var avoid = new List<(string Name, EmbeddedPoints Points)>();
        foreach (string roi in avoidRois)
        {
            VoxelMask mask = avatar.Structure(roi);
            if (string.Equals(mask.Name, target.Name, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"ROI '{roi}' cannot be both the target and avoided.", nameof(avoidRois));
            }

            avoid.Add((mask.Name, EmbeddedPoints.FromMaskSurface(avatar.Mesh, mask, insertion.ClearancePointSpacingMm)));
        }

        return avoid;
    }

    /// <summary>
    /// Simulates the insertion from every entry, candidates in parallel on up to <c>run.Threads</c> threads, each
    /// simulation single-threaded (<paramref name="single"/>). A fixed candidate → worker assignment, so results never depend on timing or thread count.
    /// </summary>
    private static InsertionResult[] SimulateAll(SoftBodyModel model, XpbdSettings single, NeedleSettings needle, InsertionSettings insertion,
        List<(string Name, EmbeddedPoints Points)> avoid, EmbeddedPoints targetPoint, IReadOnlyList<Vec3> entriesLps, Vec3 targetLps, SimulationRun run, out bool simd)
    {
        int count = entriesLps.Count;
        var results = new InsertionResult[count];
        int workers = Math.Min(run.Threads, count);
        bool usesSimd = false;
        int done = 0;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = run.Cancellation }, w =>
        {
            using var simulator = new InsertionSimulator(model, single, needle, insertion, avoid, targetPoint);
            usesSimd = simulator.Solver.UsesSimd;
            for (int c = w; c < count; c += workers)
            {
                run.Cancellation.ThrowIfCancellationRequested();
                results[c] = simulator.Run(entriesLps[c], targetLps);
                run.Progress?.Invoke(Interlocked.Increment(ref done), count);
            }
        });
        simd = usesSimd;
        return results;
    }

    /// <summary>How the candidates run: threads, progress callback, cancellation.</summary>
    private readonly record struct SimulationRun(int Threads, Action<int, int>? Progress, CancellationToken Cancellation);

    /// <summary>Candidates ranked by score, best first (ties by sampling order).</summary>
    private static RankedCandidate[] Rank(InsertionResult[] results, EntryCandidates sampling, double minClearanceMm)
    {
        int count = results.Length;
        var order = new int[count];
        var scores = new double[count];
        for (int c = 0; c < count; c++)
        {
            order[c] = c;
            scores[c] = CandidateScore.Score(results[c], minClearanceMm);
        }

        Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        var ranked = new RankedCandidate[count];
        for (int r = 0; r < count; r++)
        {
            int c = order[r];
            ranked[r] = new RankedCandidate(r + 1, scores[c], CandidateScore.IsFeasible(results[c], minClearanceMm),
                c == sampling.DefaultEntryIndex, sampling.RestClearanceMm[c], results[c]);
        }

        return ranked;
    }

    /// <summary>Union of the ROIs made of fixed tissue (bone), grown by <paramref name="marginMm"/>; null when there are none.</summary>
    public static VoxelMask? BoneMask(PatientAvatar avatar, double marginMm)
    {
        ArgumentNullException.ThrowIfNull(avatar);
        VoxelMask? union = null;
        foreach (AvatarStructure s in avatar.Config.Structures)
        {
            if (!avatar.Tissues[avatar.Config.TissueIndex(s.Tissue)].Fixed)
            {
                continue;
            }

            foreach (VoxelMask m in avatar.Structures)
            {
                if (string.Equals(m.Name, s.Roi, StringComparison.OrdinalIgnoreCase))
                {
                    union = union is null ? m.Clone("Bone") : union.Union(m, "Bone");
                }
            }
        }

        return union?.Expand(marginMm);
    }

    /// <summary>
    /// The solver's gravity must point toward the couch of the avatar's patient position (a prone patient sags toward
    /// anterior): a mismatch would simulate the wrong deformation without a word.
    /// </summary>
    private static void CheckGravity(PatientAvatar avatar, XpbdSettings xpbd)
    {
        Vec3 g = xpbd.GravityLps;
        if (g.Length > 0 && Vec3.Dot(g.Normalized(), avatar.DownLps) < Math.Cos(Math.PI / 180))
        {
            throw new ArgumentException(
                $"Gravity {g} (LPS, m/s²) does not point toward the couch of a {avatar.Position.Code()} ({avatar.Position.Describe()}) patient, {avatar.DownLps}; use XpbdSettings.GravityFor({avatar.Position}).");
        }
    }
}
