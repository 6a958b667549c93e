namespace MeTAI.Service.Uploads;

/// <summary>What deleting an upload removed: the upload and the plans made on it.</summary>
/// <param name="Id">The upload.</param>
/// <param name="Plans">Ids of the plans removed with it.</param>
public sealed record UploadDeletion(string Id, IReadOnlyList<string> Plans);
