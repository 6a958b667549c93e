using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// What one Monte Carlo run of a field gives the commissioning: the central-axis depth dose, profiles at any depth, and
/// the central-axis dose at a depth in a unit proportional to dose per MU (so ratios between fields are output factors).
/// </summary>
public abstract class FieldCurves
{
    /// <summary>The field.</summary>
    public required FieldCondition Field { get; init; }

    /// <summary>Central-axis depth dose (any unit; depths in mm).</summary>
    public abstract SampledCurve DepthDose { get; }

    /// <summary>Profile along <paramref name="kind"/> at <paramref name="depthMm"/> (positions in mm in the depth plane).</summary>
    public abstract SampledCurve Profile(CurveKind kind, double depthMm);

    /// <summary>Central-axis dose at <paramref name="depthMm"/>, proportional to dose per MU.</summary>
    public abstract double DosePerMuAt(double depthMm);

    /// <summary>Relative (1σ) statistical uncertainty of the central-axis dose at <paramref name="depthMm"/> (batch method; 0 for exact curves).</summary>
    public abstract double RelativeUncertaintyAt(double depthMm);
}
