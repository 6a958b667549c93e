using MeTAI.Core.Geometry;
using MeTAI.Dicom.Cases;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Service.Rehearsals;

/// <summary>A case made ready to rehearse on: the loaded case (its CT for the scene's slice), the avatar and how the patient lay.</summary>
/// <param name="Case">The case as <see cref="CaseLoader"/> loads it.</param>
/// <param name="Avatar">The soft-body avatar.</param>
/// <param name="Position">Patient position on the CT (gravity and the couch follow it).</param>
public sealed record RehearsalInputs(PatientCase Case, PatientAvatar Avatar, PatientPosition Position);
