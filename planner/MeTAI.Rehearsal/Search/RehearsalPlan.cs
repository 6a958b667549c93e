using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;

namespace MeTAI.Rehearsal.Search;

/// <summary>What a trajectory search found: ranked candidates, the chosen path as a Core trajectory and corridor, and the
/// facts a report needs (mesh size, speed, the default path's check).</summary>
public sealed record RehearsalPlan
{
    /// <summary>Case name.</summary>
    public required string CaseName { get; init; }

    /// <summary>Target ROI.</summary>
    public required string TargetRoi { get; init; }

    /// <summary>ROIs to avoid.</summary>
    public required IReadOnlyList<string> AvoidRois { get; init; }

    /// <summary>Target point (centroid of the target ROI at rest), LPS mm.</summary>
    public required Vec3 TargetLps { get; init; }

    /// <summary>Simulated candidates, best first.</summary>
    public required IReadOnlyList<RankedCandidate> Candidates { get; init; }

    /// <summary>The best candidate (rank 1).</summary>
    public RankedCandidate Chosen => Candidates[0];

    /// <summary>True when the chosen candidate is feasible (clearance kept, skin punctured, no bone).</summary>
    public bool Feasible => Chosen.Feasible;

    /// <summary>The chosen insertion: from the stand-off point through the entry to the target at the insertion speed.</summary>
    public required Trajectory Trajectory { get; init; }

    /// <summary>The chosen path's safety corridor.</summary>
    public required Corridor Corridor { get; init; }

    /// <summary>How the entries were picked.</summary>
    public required EntryCandidates Sampling { get; init; }

    /// <summary>For the default entry (when the case has one): per avoided ROI, whether its straight path to the target
    /// crosses the ROI at rest.</summary>
    public required IReadOnlyDictionary<string, bool> DefaultPathCrosses { get; init; }

    /// <summary>Mesh tets.</summary>
    public required int Tets { get; init; }

    /// <summary>Mesh nodes.</summary>
    public required int Nodes { get; init; }

    /// <summary>Colours of the solver's layout (regions' interiors and boundary).</summary>
    public required int Colours { get; init; }

    /// <summary>Lattice cell edge, mm.</summary>
    public required double CellMm { get; init; }

    /// <summary>Steps per second of one simulation (single-threaded), averaged over the candidates.</summary>
    public required double StepsPerSecond { get; init; }

    /// <summary>Steps per second of the whole search (candidates in parallel).</summary>
    public required double ThroughputStepsPerSecond { get; init; }

    /// <summary>Wall-clock seconds of the search (meshing excluded).</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Steps simulated over all candidates.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Whether the SIMD kernel ran.</summary>
    public required bool Simd { get; init; }

    /// <summary>Settings used.</summary>
    public required SearchSettings Search { get; init; }

    /// <summary>Insertion settings used.</summary>
    public required InsertionSettings Insertion { get; init; }

    /// <summary>Solver settings used.</summary>
    public required Solver.XpbdSettings Xpbd { get; init; }

    /// <summary>How the patient lay (the avatar's position): gravity and the couch side follow it.</summary>
    public required PatientPosition Position { get; init; }
}
