namespace MeTAI.Service.Uploads;

/// <summary>A structure set stored with an upload (UIDs as stored).</summary>
/// <param name="SopInstanceUid">SOP Instance UID, what a plan request's <c>structureSet</c> names.</param>
/// <param name="Label">Structure Set Label.</param>
/// <param name="ReferencedSeriesUid">The CT series it was drawn on (RT Referenced Series), or null.</param>
/// <param name="FrameOfReferenceUid">The frame of reference it references.</param>
/// <param name="Structures">Its ROIs with closed planar contours.</param>
public sealed record UploadStructureSet(string SopInstanceUid, string Label, string? ReferencedSeriesUid, string FrameOfReferenceUid, IReadOnlyList<UploadStructure> Structures);
