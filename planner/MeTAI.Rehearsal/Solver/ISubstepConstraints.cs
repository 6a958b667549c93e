namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// Extra constraints (an instrument) solved inside each XPBD substep, after the tissue. Implement on a struct and pass
/// it by reference to <see cref="XpbdSolver.Step{T}(ref T)"/>: the JIT specialises the loop, no virtual calls
/// (bepuphysics2's callback pattern). All methods run on the calling thread while the workers wait.
/// </summary>
public interface ISubstepConstraints
{
    /// <summary>After the prediction x ← x + h·v (+ gravity): move kinematic parts to <paramref name="timeSeconds"/>
    /// (end of the substep) and detect contacts.</summary>
    void BeginSubstep(SoftBodyState state, double timeSeconds, float substepSeconds);

    /// <summary>After each tissue pass: project the extra constraints (iteration 0 starts their multipliers at zero).</summary>
    void Project(SoftBodyState state, float substepSeconds, int iteration);

    /// <summary>After the last pass of the substep, before velocities are updated: read forces, decide events.</summary>
    void EndSubstep(SoftBodyState state, float substepSeconds);
}

/// <summary>No extra constraints.</summary>
public struct NoConstraints : ISubstepConstraints
{
    /// <inheritdoc />
    public readonly void BeginSubstep(SoftBodyState state, double timeSeconds, float substepSeconds)
    {
    }

    /// <inheritdoc />
    public readonly void Project(SoftBodyState state, float substepSeconds, int iteration)
    {
    }

    /// <inheritdoc />
    public readonly void EndSubstep(SoftBodyState state, float substepSeconds)
    {
    }
}
