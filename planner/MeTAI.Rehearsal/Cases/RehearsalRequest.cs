using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Search;

namespace MeTAI.Rehearsal.Cases;

/// <summary>What to rehearse on a case: the target and the ROIs to avoid (by name, from the structure set) and the settings.</summary>
public sealed record RehearsalRequest
{
    /// <summary>Target ROI name.</summary>
    public required string Target { get; init; }

    /// <summary>ROIs to keep clear of.</summary>
    public IReadOnlyList<string> Avoid { get; init; } = [];

    /// <summary>Mesh lattice cell, mm (null: the avatar config's).</summary>
    public double? CellMm { get; init; }

    /// <summary>XPBD substeps per 1 ms step.</summary>
    public int Substeps { get; init; } = 4;

    /// <summary>Entry sampling and ranking.</summary>
    public SearchSettings Search { get; init; } = new();

    /// <summary>Insertion speed, stand-off, settling.</summary>
    public InsertionSettings Insertion { get; init; } = new();

    /// <summary>The needle.</summary>
    public NeedleSettings Needle { get; init; } = new();
}
