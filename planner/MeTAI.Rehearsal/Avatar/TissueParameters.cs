namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// Mechanical and needle-interaction parameters of one tissue, as an avatar config gives them
/// (<c>configs/avatars/*.json</c>), with the literature source of each value in <see cref="Sources"/>.
/// </summary>
public sealed record TissueParameters
{
    /// <summary>Tissue name as the config spells it (e.g. <c>liver</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Young's modulus in kPa (small-strain stiffness).</summary>
    public required double YoungsModulusKPa { get; init; }

    /// <summary>Poisson ratio (0 … 0.5; soft tissue is nearly incompressible, 0.45 … 0.49).</summary>
    public required double PoissonRatio { get; init; }

    /// <summary>Mass density in kg/m³.</summary>
    public required double DensityKgM3 { get; init; }

    /// <summary>
    /// Axial force in newtons the needle tip must exert on this tissue's boundary (skin, organ capsule, vessel wall)
    /// before it breaks in. Zero means no membrane: the tip enters without a puncture event.
    /// </summary>
    public required double PunctureForceN { get; init; }

    /// <summary>Axial force in newtons needed to keep cutting through this tissue once inside (constant per tissue).</summary>
    public required double CuttingForceN { get; init; }

    /// <summary>Kinetic friction along the shaft, newtons per millimetre of shaft in this tissue.</summary>
    public required double FrictionNPerMm { get; init; }

    /// <summary>True for bone: its nodes are fixed (kinematic) and the needle cannot puncture it.</summary>
    public bool Fixed { get; init; }

    /// <summary>Where each value comes from, by field name (<c>youngsModulusKPa</c> → citation or "typical value").</summary>
    public required IReadOnlyDictionary<string, string> Sources { get; init; }

    /// <summary>Shear modulus μ = E / (2(1 + ν)) in Pa.</summary>
    public double ShearModulusPa => YoungsModulusKPa * 1000 / (2 * (1 + PoissonRatio));

    /// <summary>Lamé's first parameter λ = E ν / ((1 + ν)(1 − 2ν)) in Pa.</summary>
    public double LameLambdaPa => YoungsModulusKPa * 1000 * PoissonRatio / ((1 + PoissonRatio) * (1 - 2 * PoissonRatio));

    /// <summary>Checks ranges; the message names the tissue and the field.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        Require(YoungsModulusKPa > 0 && double.IsFinite(YoungsModulusKPa), "youngsModulusKPa", "must be positive");
        Require(PoissonRatio >= 0 && PoissonRatio < 0.5, "poissonRatio", "must be in [0, 0.5)");
        Require(DensityKgM3 > 0 && double.IsFinite(DensityKgM3), "densityKgM3", "must be positive");
        Require(PunctureForceN >= 0 && !double.IsNaN(PunctureForceN), "punctureForceN", "must be ≥ 0");
        Require(CuttingForceN >= 0 && double.IsFinite(CuttingForceN), "cuttingForceN", "must be ≥ 0 and finite");
        Require(FrictionNPerMm >= 0 && double.IsFinite(FrictionNPerMm), "frictionNPerMm", "must be ≥ 0 and finite");
    }

    private void Require(bool ok, string field, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"tissues['{Name}'].{field} {rule}.");
        }
    }
}
