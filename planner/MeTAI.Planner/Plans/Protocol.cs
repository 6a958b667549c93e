using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Optimization.Objectives;

namespace MeTAI.Planner.Plans;

/// <summary>
/// A planning protocol (<c>configs/protocols/NAME.json</c>, docs/planning.md): prescription, beam set-up, derived
/// rings, optimisation objectives with weights and priorities, clinical goals and the normalisation. Loaded by
/// <see cref="ProtocolLoader"/>.
/// </summary>
public sealed record Protocol
{
    /// <summary>Protocol name.</summary>
    public required string Name { get; init; }

    /// <summary>The file it came from (or empty).</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>One line of description.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The prescription.</summary>
    public required Prescription Prescription { get; init; }

    /// <summary>Default number of equi-spaced coplanar beams (when <see cref="GantryDeg"/> is empty).</summary>
    public int BeamCount { get; init; } = 7;

    /// <summary>Gantry angle of the first beam, degrees.</summary>
    public double StartGantryDeg { get; init; }

    /// <summary>Explicit gantry angles, degrees (overrides <see cref="BeamCount"/>).</summary>
    public IReadOnlyList<double> GantryDeg { get; init; } = [];

    /// <summary>Beamlet size at the isocentre, mm.</summary>
    public double BeamletMm { get; init; } = 5;

    /// <summary>Margin around the target's projection covered by beamlets, mm.</summary>
    public double BeamletMarginMm { get; init; } = 5;

    /// <summary>Derived ring structures.</summary>
    public IReadOnlyList<RingSpec> Rings { get; init; } = [];

    /// <summary>Optimisation objectives.</summary>
    public required IReadOnlyList<ObjectiveSpec> Objectives { get; init; }

    /// <summary>Clinical goals.</summary>
    public IReadOnlyList<GoalSpec> Goals { get; init; } = [];

    /// <summary>Normalisation: scale the final dose so that this metric of this structure equals the value (null: none).</summary>
    public NormalizationSpec? Normalization { get; init; }

    /// <summary>Intensity levels per beam for leaf sequencing.</summary>
    public int SequencingLevels { get; init; } = 10;

    /// <summary>Minimum MU per segment (per fraction).</summary>
    public double MinSegmentMu { get; init; } = 2;

    /// <summary>Every structure the protocol names (prescription, rings, objectives, goals, normalisation).</summary>
    public IEnumerable<string> ReferencedStructures()
    {
        yield return Prescription.Target;
        foreach (RingSpec r in Rings)
        {
            yield return r.Around;
        }

        foreach (ObjectiveSpec o in Objectives)
        {
            yield return o.Structure;
        }

        foreach (GoalSpec g in Goals)
        {
            yield return g.Structure;
        }

        if (Normalization is { } n)
        {
            yield return n.Structure;
        }
    }
}

/// <summary>Scale the plan so that <see cref="Metric"/> of <see cref="Structure"/> is <see cref="Percent"/> % of the prescription.</summary>
/// <param name="Structure">Structure, usually the PTV.</param>
/// <param name="Metric">Dose metric, e.g. D95.</param>
/// <param name="Percent">Percent of the prescription.</param>
public sealed record NormalizationSpec(string Structure, string Metric, double Percent);
