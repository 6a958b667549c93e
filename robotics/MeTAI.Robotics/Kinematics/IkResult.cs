namespace MeTAI.Robotics.Kinematics;

/// <summary>Outcome of an IK solve.</summary>
/// <param name="Converged">Both errors fell below tolerance.</param>
/// <param name="Iterations">Iterations used.</param>
/// <param name="PositionErrorM">Remaining position error (m).</param>
/// <param name="OrientationErrorRad">Remaining orientation error (rad).</param>
/// <param name="AtLimit">At least one joint ended on a limit.</param>
public readonly record struct IkResult(bool Converged, int Iterations, double PositionErrorM, double OrientationErrorRad, bool AtLimit);
