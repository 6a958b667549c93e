namespace MeTAI.Simulation.Devices;

/// <summary>One beam-on interval as the linac twin delivered it.</summary>
/// <param name="Beam">Beam number.</param>
/// <param name="StartTicks">Stopwatch ticks when the beam came on.</param>
/// <param name="EndTicks">Stopwatch ticks when it went off (0 while still on).</param>
/// <param name="Mu">Monitor units delivered in this interval.</param>
/// <param name="EndReason">Why it went off: complete, permit withdrawn, permit stale, aborted.</param>
public sealed record BeamInterval(int Beam, long StartTicks, long EndTicks, double Mu, string EndReason);
