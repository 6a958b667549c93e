namespace MeTAI.Rehearsal.Search;

/// <summary>Which entry points a trajectory search tries and how it ranks them.</summary>
public sealed record SearchSettings
{
    /// <summary>Candidates simulated (the default entry, when the case has one, plus spread-out skin points).</summary>
    public int Candidates { get; init; } = 16;

    /// <summary>Seed of the candidate sampling; the same seed gives the same candidates and results.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Required clearance from every avoided ROI during insertion, mm.</summary>
    public double MinClearanceMm { get; init; } = 5;

    /// <summary>Longest entry-to-target path, mm (the needle's usable length).</summary>
    public double MaxPathMm { get; init; } = 150;

    /// <summary>Largest superior–inferior offset of the entry from the target, mm (craniocaudal angulation is limited).</summary>
    public double MaxCraniocaudalOffsetMm { get; init; } = 40;

    /// <summary>Entries from the couch side are not reachable: the target→entry direction may point toward the couch
    /// (along gravity: posterior for supine, anterior for prone) at most this much (cosine of the angle).</summary>
    public double MaxCouchSideCosine { get; init; } = 0.3;

    /// <summary>Margin around fixed tissue (bone) that a straight path must keep at rest, mm.</summary>
    public double BoneMarginMm { get; init; } = 2;

    /// <summary>Candidates whose straight path passes closer than this to an avoided ROI at rest are tried only when no
    /// others are left, mm.</summary>
    public double RestClearanceFloorMm { get; init; } = 2.5;

    /// <summary>Radius of the exported corridor, mm (further limited to the chosen path's clearance − 1 mm).</summary>
    public double CorridorRadiusMm { get; init; } = 3;

    /// <summary>Candidates simulated at once (each simulation single-threaded); results do not depend on it.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Landmark tried first as a reference candidate when the case has it (clinicians' default entry).</summary>
    public string DefaultEntryLandmark { get; init; } = "DefaultEntry";

    /// <summary>Checks ranges.</summary>
    public void Validate()
    {
        if (Candidates < 1 || Candidates > 1000 || Threads < 1 || Threads > 64)
        {
            throw new ArgumentException($"Candidates must be 1 … 1000 and threads 1 … 64, got {Candidates} and {Threads}.");
        }

        if (!(MinClearanceMm >= 0) || !(MaxPathMm > 0) || !(MaxCraniocaudalOffsetMm >= 0) || !(BoneMarginMm >= 0) || !(CorridorRadiusMm > 0)
            || !double.IsFinite(MinClearanceMm + MaxPathMm + MaxCraniocaudalOffsetMm + BoneMarginMm + CorridorRadiusMm + MaxCouchSideCosine + RestClearanceFloorMm))
        {
            throw new ArgumentException("Search distances must be finite and non-negative.");
        }
    }
}
