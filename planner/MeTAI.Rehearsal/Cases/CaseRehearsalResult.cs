using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Search;

namespace MeTAI.Rehearsal.Cases;

/// <summary>
/// A rehearsal of a case: the avatar (its <see cref="PatientAvatar.Mesh"/>: nodes in LPS mm, tets, tissue per tet,
/// boundary triangles; its <see cref="PatientAvatar.Assignment"/>), the search's plan (ranked candidates, the chosen
/// <see cref="RehearsalPlan.Trajectory"/> and <see cref="RehearsalPlan.Corridor"/>) and the mesh's quality.
/// </summary>
/// <param name="Avatar">The patient's soft-body avatar.</param>
/// <param name="Plan">What the search found.</param>
/// <param name="Quality">Element quality of the rest mesh.</param>
public sealed record CaseRehearsalResult(PatientAvatar Avatar, RehearsalPlan Plan, MeshQuality Quality);
