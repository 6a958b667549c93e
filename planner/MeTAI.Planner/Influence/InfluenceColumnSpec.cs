namespace MeTAI.Planner.Influence;

/// <summary>
/// One column of an influence matrix as a unit of Monte Carlo work (<see cref="InfluenceBuilder.Columns"/>): which
/// beamlet, how many histories and which seed. Its dose depends on nothing else, so any machine can compute it.
/// </summary>
/// <param name="Column">Column index (beams in order, each grid's beamlets in order).</param>
/// <param name="Beam">Index of the beam's grid.</param>
/// <param name="Beamlet">Index of the beamlet in that grid.</param>
/// <param name="Histories">Monte Carlo histories.</param>
/// <param name="Seed">Random seed (the settings' seed + column).</param>
public sealed record InfluenceColumnSpec(int Column, int Beam, int Beamlet, long Histories, ulong Seed);
