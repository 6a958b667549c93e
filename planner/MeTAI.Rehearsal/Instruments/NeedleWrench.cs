using MeTAI.Core.Geometry;

namespace MeTAI.Rehearsal.Instruments;

/// <summary>
/// What the tissue does to the needle at the end of a step (what a haptic master renders): force in newtons and
/// torque in newton-metres about the hub, both in LPS axes, and the axial resistance (force against the insertion
/// direction, positive when the tissue resists).
/// </summary>
/// <param name="ForceN">Force on the needle, N (LPS axes).</param>
/// <param name="TorqueNm">Torque on the needle about its hub, N·m (LPS axes).</param>
/// <param name="AxialForceN">−Force·direction: resistance to insertion, N.</param>
/// <param name="TipContactN">Part of the axial force carried by the tip pressing on an unpunctured boundary, N.</param>
public readonly record struct NeedleWrench(Vec3 ForceN, Vec3 TorqueNm, double AxialForceN, double TipContactN);
