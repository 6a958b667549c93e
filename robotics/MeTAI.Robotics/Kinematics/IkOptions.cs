namespace MeTAI.Robotics.Kinematics;

/// <summary>Options of the damped-least-squares IK; validated once at construction of the solver.</summary>
public sealed class IkOptions
{
    /// <summary>Damping λ (metres-equivalent); larger is smoother near singularities but slower to converge.</summary>
    public double Damping { get; set; } = 0.02;

    /// <summary>Weight of orientation error in metres per radian (a 4-DOF arm sets it low).</summary>
    public double OrientationWeightMPerRad { get; set; } = 0.1;

    /// <summary>Iterations per call.</summary>
    public int MaxIterations { get; set; } = 8;

    /// <summary>Stop when the position error is below this (m) and the orientation error below <see cref="OrientationToleranceRad"/>.</summary>
    public double PositionToleranceM { get; set; } = 1e-5;

    /// <summary>Orientation tolerance (rad).</summary>
    public double OrientationToleranceRad { get; set; } = 1e-4;

    /// <summary>Largest joint step per iteration (rad), keeps each iteration in the linear regime.</summary>
    public double MaxStepRad { get; set; } = 0.2;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (!(Damping > 0) || !(OrientationWeightMPerRad >= 0) || MaxIterations < 1 || !(PositionToleranceM > 0)
            || !(OrientationToleranceRad > 0) || !(MaxStepRad > 0))
        {
            throw new ArgumentException("IkOptions: damping, tolerances and step must be positive, iterations ≥ 1, orientation weight ≥ 0.");
        }
    }
}
