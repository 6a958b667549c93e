namespace MeTAI.Service.Uploads;

/// <summary>A CT series stored with an upload (UIDs as stored: de-identified ones when the upload was).</summary>
/// <param name="SeriesInstanceUid">Series Instance UID, what a plan request's <c>ctSeries</c> names.</param>
/// <param name="Slices">Number of slices.</param>
/// <param name="FrameOfReferenceUid">Frame of Reference UID.</param>
/// <param name="Description">Series Description, or empty.</param>
public sealed record UploadCtSeries(string SeriesInstanceUid, int Slices, string FrameOfReferenceUid, string Description);
