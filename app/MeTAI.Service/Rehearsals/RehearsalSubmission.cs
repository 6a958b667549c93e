namespace MeTAI.Service.Rehearsals;

/// <summary>The body of <c>POST /api/rehearsals</c>: a case (built-in phantom or upload) and what to rehearse on it.</summary>
public sealed record RehearsalSubmission
{
    /// <summary>Built-in phantom with an avatar config (<c>liver-needle</c>); or give <see cref="UploadId"/>.</summary>
    public string? Case { get; init; }

    /// <summary>An uploaded case (ct/ + rtstruct.dcm); or give <see cref="Case"/>.</summary>
    public string? UploadId { get; init; }

    /// <summary>
    /// A succeeded plan of the same upload whose dose the scene shows as isodose surfaces (needs <see cref="UploadId"/>;
    /// its CT must share the rehearsal CT's frame of reference); none when left out.
    /// </summary>
    public string? PlanId { get; init; }

    /// <summary>Target ROI (required).</summary>
    public string? Target { get; init; }

    /// <summary>ROIs to avoid.</summary>
    public IReadOnlyList<string>? Avoid { get; init; }

    /// <summary>Skin entries to simulate, 1–64 (default 12).</summary>
    public int? Candidates { get; init; }

    /// <summary>Mesh lattice cell, 8–40 mm (default: the avatar config's).</summary>
    public double? ResolutionMm { get; init; }

    /// <summary>Insertion speed, 1–200 mm/s (default 20).</summary>
    public double? SpeedMmPerS { get; init; }

    /// <summary>Required clearance, 0–50 mm (default 5).</summary>
    public double? MinClearanceMm { get; init; }

    /// <summary>Seed of the entry sampling (default 1).</summary>
    public int? Seed { get; init; }

    /// <summary>Robot shown in the scene, a name in <c>configs/robots</c> (default metai-arm6).</summary>
    public string? Robot { get; init; }
}
