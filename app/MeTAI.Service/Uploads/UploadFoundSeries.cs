namespace MeTAI.Service.Uploads;

/// <summary>A series the zip held, as the case loader grouped it (no identifiers: patient, study and series UIDs are left out).</summary>
/// <param name="Modality">Modality (CT, RTSTRUCT, RTPLAN, RTDOSE, MR, …).</param>
/// <param name="SopClass">SOP class name (e.g. "CT Image Storage").</param>
/// <param name="Instances">Number of objects.</param>
/// <param name="Stored">True for CT series and structure sets, which the case keeps.</param>
public sealed record UploadFoundSeries(string Modality, string SopClass, int Instances, bool Stored);
