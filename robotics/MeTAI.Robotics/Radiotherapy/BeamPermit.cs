namespace MeTAI.Robotics.Radiotherapy;

/// <summary>The beam permit as the loop last decided it.</summary>
/// <param name="Permit">The linac may irradiate <paramref name="Beam"/>.</param>
/// <param name="Beam">The armed beam (0: none).</param>
/// <param name="Sequence">Increases at every change of the permit; the linac acknowledges it.</param>
/// <param name="Reasons">Why it is withheld (none when permitted).</param>
/// <param name="Cycle">Loop cycle of the decision.</param>
public readonly record struct BeamPermit(bool Permit, int Beam, long Sequence, BeamHoldReasons Reasons, long Cycle);
