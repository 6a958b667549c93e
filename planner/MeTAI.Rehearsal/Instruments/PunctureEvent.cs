using MeTAI.Core.Geometry;

namespace MeTAI.Rehearsal.Instruments;

/// <summary>The tip broke through a tissue boundary.</summary>
/// <param name="TimeSeconds">Simulated time.</param>
/// <param name="AxialForceN">Axial tip force at the moment of puncture, N.</param>
/// <param name="Tissue">Index of the tissue entered.</param>
/// <param name="PointLps">Where, LPS mm.</param>
public readonly record struct PunctureEvent(double TimeSeconds, double AxialForceN, int Tissue, Vec3 PointLps);
