namespace MeTAI.Dicom.Rt;

/// <summary>A fraction group (an item of Fraction Group Sequence, 300A,0070): how many fractions, which beams, how many MU.</summary>
public sealed record RtFractionGroup
{
    /// <summary>Fraction Group Number (300A,0071).</summary>
    public int Number { get; init; } = 1;

    /// <summary>Number of Fractions Planned (300A,0078), or null when not given.</summary>
    public int? FractionsPlanned { get; init; }

    /// <summary>The beams delivered in each fraction, with their meterset.</summary>
    public IReadOnlyList<RtReferencedBeam> ReferencedBeams { get; init; } = [];
}
