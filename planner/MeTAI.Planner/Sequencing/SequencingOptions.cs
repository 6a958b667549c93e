namespace MeTAI.Planner.Sequencing;

/// <summary>Leaf sequencing parameters. Plain options with defaults, validated once.</summary>
public sealed record SequencingOptions
{
    /// <summary>Intensity levels the largest beamlet weight of a beam is divided into.</summary>
    public int Levels { get; init; } = 10;

    /// <summary>Smallest MU a segment may get (per fraction); the level step is never below it.</summary>
    public double MinSegmentMu { get; init; } = 2;

    /// <summary>Leaf width at the isocentre, mm.</summary>
    public double LeafWidthMm { get; init; } = 5;

    /// <summary>Leaf pairs of the MLC.</summary>
    public int LeafPairs { get; init; } = 80;

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (Levels < 1 || MinSegmentMu < 0 || !(LeafWidthMm > 0) || LeafPairs < 1)
        {
            throw new ArgumentException("Sequencing needs levels ≥ 1, minimum segment MU ≥ 0, a positive leaf width and at least one leaf pair.");
        }
    }
}
