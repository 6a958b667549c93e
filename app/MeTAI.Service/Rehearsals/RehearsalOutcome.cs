namespace MeTAI.Service.Rehearsals;

/// <summary>What a finished rehearsal job records (the job's result JSON; the full detail is in its files).</summary>
public sealed record RehearsalOutcome
{
    /// <summary>True when the chosen path keeps the required clearance.</summary>
    public required bool Feasible { get; init; }

    /// <summary>Chosen entry, LPS mm.</summary>
    public required double[] EntryLps { get; init; }

    /// <summary>Target (the target ROI's centroid), LPS mm.</summary>
    public required double[] TargetLps { get; init; }

    /// <summary>Least deformed clearance from the avoided ROIs along the chosen insertion, mm.</summary>
    public required double MinClearanceMm { get; init; }

    /// <summary>Peak axial needle force of the chosen insertion, N.</summary>
    public required double PeakForceN { get; init; }

    /// <summary>Path length of the chosen insertion, mm.</summary>
    public required double PathLengthMm { get; init; }

    /// <summary>Radius of the exported safety corridor, mm.</summary>
    public required double CorridorRadiusMm { get; init; }

    /// <summary>Skin entries simulated.</summary>
    public required int CandidatesSimulated { get; init; }

    /// <summary>Tetrahedra of the avatar.</summary>
    public required int Tets { get; init; }

    /// <summary>Nodes of the avatar.</summary>
    public required int Nodes { get; init; }

    /// <summary>Simulated 1 ms steps per second of one simulation.</summary>
    public required double StepsPerSecond { get; init; }

    /// <summary>Files in the job's folder.</summary>
    public required IReadOnlyList<string> Files { get; init; }
}
