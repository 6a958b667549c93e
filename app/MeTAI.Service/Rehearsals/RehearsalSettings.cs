namespace MeTAI.Service.Rehearsals;

/// <summary>
/// What a rehearsal job asks of <c>metai rehearse</c> (stored with the job in <see cref="Plans.PlanJobRequest.Rehearsal"/>):
/// <c>--target</c>, <c>--avoid</c>, <c>--candidates</c>, <c>--resolution-mm</c>, <c>--speed-mm-s</c>,
/// <c>--min-clearance-mm</c>, <c>--seed</c>, <c>--voxel-mm</c>.
/// </summary>
public sealed record RehearsalSettings
{
    /// <summary>Target ROI.</summary>
    public required string Target { get; init; }

    /// <summary>ROIs to keep clear of.</summary>
    public IReadOnlyList<string> Avoid { get; init; } = [];

    /// <summary>Skin entries simulated.</summary>
    public int Candidates { get; init; } = 12;

    /// <summary>Mesh lattice cell, mm (null: the avatar config's).</summary>
    public double? ResolutionMm { get; init; }

    /// <summary>Needle insertion speed, mm/s.</summary>
    public double SpeedMmPerS { get; init; } = 20;

    /// <summary>Clearance required from the avoided ROIs, mm.</summary>
    public double MinClearanceMm { get; init; } = 5;

    /// <summary>Seed of the entry sampling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Voxel size of a built-in phantom, mm.</summary>
    public double VoxelMm { get; init; } = 2;

    /// <summary>Robot shown in the scene (<c>configs/robots/NAME.json</c>).</summary>
    public string Robot { get; init; } = "metai-arm6";

    /// <summary>The plan whose dose the scene shows as isodose surfaces (the request's <c>planId</c>), or null.</summary>
    public RehearsalPlanDose? Plan { get; init; }
}
