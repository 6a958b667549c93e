using MeTAI.Core.Geometry;

namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// Time stepping of <see cref="XpbdSolver"/>: one <see cref="XpbdSolver.Step()"/> advances <see cref="StepSeconds"/> (1 ms for
/// haptic rate) in <see cref="Substeps"/> equal substeps, each with <see cref="Iterations"/> constraint passes
/// (Macklin et al. 2019: many substeps with one iteration beat few substeps with many iterations).
/// </summary>
public sealed record XpbdSettings
{
    /// <summary>Simulated time per step in seconds (fixed).</summary>
    public double StepSeconds { get; init; } = 1e-3;

    /// <summary>Substeps per step.</summary>
    public int Substeps { get; init; } = 4;

    /// <summary>Constraint passes per substep.</summary>
    public int Iterations { get; init; } = 1;

    /// <summary>
    /// Gravity in m/s², LPS axes. Default: a supine patient, gravity towards posterior (+y); for another position use
    /// <see cref="GravityFor"/> (the trajectory search refuses gravity that does not point toward the avatar's couch).
    /// </summary>
    public Vec3 GravityLps { get; init; } = new(0, 9.81, 0);

    /// <summary>Standard gravity (9.81 m/s²) toward the couch of a patient lying in <paramref name="position"/>, LPS axes.</summary>
    public static Vec3 GravityFor(PatientPosition position) => position.GravityLps() * 9.81;

    /// <summary>Mass-proportional velocity damping in 1/s (velocities decay as exp(−c·t) without forces).</summary>
    public double DampingPerSecond { get; init; } = 10;

    /// <summary>Worker threads (1 = the calling thread only). Results do not depend on it.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Use the Vector256 kernel when the hardware accelerates it (else the scalar kernel).</summary>
    public bool UseSimd { get; init; } = true;

    /// <summary>Seconds per substep.</summary>
    public double SubstepSeconds => StepSeconds / Substeps;

    /// <summary>Checks ranges.</summary>
    public void Validate()
    {
        if (!(StepSeconds > 0) || !double.IsFinite(StepSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(StepSeconds), StepSeconds, "Step must be positive.");
        }

        if (Substeps < 1 || Substeps > 1000 || Iterations < 1 || Iterations > 1000)
        {
            throw new ArgumentException($"Substeps and iterations must be 1 … 1000, got {Substeps} and {Iterations}.");
        }

        if (!GravityLps.IsFinite || !(DampingPerSecond >= 0) || !double.IsFinite(DampingPerSecond))
        {
            throw new ArgumentException("Gravity must be finite and damping ≥ 0.");
        }

        if (Threads < 1 || Threads > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be 1 … 256.");
        }
    }
}
