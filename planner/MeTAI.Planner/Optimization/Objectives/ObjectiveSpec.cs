namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>
/// One objective as a protocol states it (<c>configs/protocols/*.json</c>, <c>objectives</c> list). Types:
/// <c>squaredUnderdose</c>, <c>squaredOverdose</c>, <c>squaredDeviation</c>, <c>meanDose</c>, <c>maxDose</c>,
/// <c>minDvh</c> / <c>maxDvh</c> (with <see cref="VolumePercent"/>), <c>minEud</c> / <c>maxEud</c> (with
/// <see cref="Exponent"/>). Doses are given either in Gy or in percent of the prescription.
/// </summary>
public sealed record ObjectiveSpec
{
    /// <summary>Structure name.</summary>
    public required string Structure { get; init; }

    /// <summary>Objective type.</summary>
    public required string Type { get; init; }

    /// <summary>Reference dose, Gy.</summary>
    public required double DoseGy { get; init; }

    /// <summary>Weight.</summary>
    public required double Weight { get; init; }

    /// <summary>Priority (1 = highest).</summary>
    public int Priority { get; init; } = 2;

    /// <summary>DVH volume, percent (DVH objectives).</summary>
    public double? VolumePercent { get; init; }

    /// <summary>EUD exponent a (EUD objectives).</summary>
    public double? Exponent { get; init; }

    /// <summary>The objective types a protocol may name.</summary>
    public static IReadOnlyList<string> Types { get; } =
        ["squaredUnderdose", "squaredOverdose", "squaredDeviation", "meanDose", "maxDose", "minDvh", "maxDvh", "minEud", "maxEud"];

    /// <summary>The objective on <paramref name="rows"/> (rows of the influence matrix inside the structure).</summary>
    public IObjective Create(int[] rows) => Type switch
    {
        "squaredUnderdose" => new SquaredUnderdose(Structure, rows, DoseGy, Weight, Priority),
        "squaredOverdose" => new SquaredOverdose(Structure, rows, DoseGy, Weight, Priority),
        "squaredDeviation" => new SquaredDeviation(Structure, rows, DoseGy, Weight, Priority),
        "meanDose" => new MeanDose(Structure, rows, DoseGy, Weight, Priority),
        "maxDose" => new MaxDose(Structure, rows, DoseGy, Weight, Priority),
        "minDvh" => new MinDvh(Structure, rows, DoseGy, VolumePercent ?? throw Missing("volumePercent"), Weight, Priority),
        "maxDvh" => new MaxDvh(Structure, rows, DoseGy, VolumePercent ?? throw Missing("volumePercent"), Weight, Priority),
        "minEud" => new Eud(Structure, rows, DoseGy, Exponent ?? throw Missing("exponent"), maximum: false, Weight, Priority),
        "maxEud" => new Eud(Structure, rows, DoseGy, Exponent ?? throw Missing("exponent"), maximum: true, Weight, Priority),
        _ => throw new ArgumentException($"Unknown objective type '{Type}'. Types: {string.Join(", ", Types)}."),
    };

    private ArgumentException Missing(string field) => new($"Objective {Type} on {Structure} needs '{field}'.");
}
