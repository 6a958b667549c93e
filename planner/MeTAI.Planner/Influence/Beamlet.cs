namespace MeTAI.Planner.Influence;

/// <summary>One column of an influence matrix: beamlet (Ix, Iy) of beam <paramref name="Beam"/> (index into the plan's beams).</summary>
/// <param name="Beam">Index of the beam (0-based).</param>
/// <param name="Ix">Lattice column in the isocentre plane.</param>
/// <param name="Iy">Lattice row in the isocentre plane.</param>
public readonly record struct Beamlet(int Beam, int Ix, int Iy);
