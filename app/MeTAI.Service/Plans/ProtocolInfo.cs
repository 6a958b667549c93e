namespace MeTAI.Service.Plans;

/// <summary>
/// What the service reads of a protocol file (the planner's format, docs/planning.md): enough to list and validate
/// protocols, and for the pre-planner runner to normalise and evaluate goals. The planner reads the file itself.
/// </summary>
public sealed record ProtocolInfo
{
    /// <summary>Name (the file name without .json).</summary>
    public required string Name { get; init; }

    /// <summary>The file.</summary>
    public required string Path { get; init; }

    /// <summary>One-line description.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Prescription target structure.</summary>
    public required string Target { get; init; }

    /// <summary>Prescription dose (whole course), Gy.</summary>
    public required double DoseGy { get; init; }

    /// <summary>Fractions.</summary>
    public int Fractions { get; init; } = 1;

    /// <summary>Default number of beams.</summary>
    public int BeamCount { get; init; } = 5;

    /// <summary>Gantry angle of the first beam, degrees.</summary>
    public double StartGantryDeg { get; init; }

    /// <summary>Explicit gantry angles (overrides count and start when given and no beam count is asked).</summary>
    public IReadOnlyList<double> GantryDeg { get; init; } = [];

    /// <summary>Clinical goals.</summary>
    public IReadOnlyList<ProtocolGoal> Goals { get; init; } = [];

    /// <summary>Normalisation: structure, metric (e.g. D95) and percent of the prescription; null when not given.</summary>
    public (string Structure, string Metric, double Percent)? Normalization { get; init; }

    /// <summary>Structures the protocol names that a case must have (rings it builds itself are left out).</summary>
    public IReadOnlyList<string> RequiredStructures { get; init; } = [];
}

/// <summary>A goal as a protocol states it.</summary>
/// <param name="Structure">Structure.</param>
/// <param name="Metric">D95, Dmean, Dmax, Dmin, D2cc, V20Gy, V95%.</param>
/// <param name="Comparison">&gt;= or &lt;=.</param>
/// <param name="Value">Limit in <paramref name="Unit"/>.</param>
/// <param name="Unit">Gy or % (of the prescription, for dose metrics).</param>
/// <param name="Priority">1 = must meet.</param>
public sealed record ProtocolGoal(string Structure, string Metric, string Comparison, double Value, string Unit, int Priority);
