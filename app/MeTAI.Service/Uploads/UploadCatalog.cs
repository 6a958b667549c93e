using System.Text.Json;
using MeTAI.Service.Hosting;
using MeTAI.Service.Jobs;

namespace MeTAI.Service.Uploads;

/// <summary>Stored uploads: their summaries (job store) and case folders (data directory).</summary>
public sealed class UploadCatalog(JobStore store, ServicePaths paths)
{
    /// <summary>The upload, or null.</summary>
    public UploadSummary? Get(string id) =>
        store.GetUpload(id) is { } json ? JsonSerializer.Deserialize<UploadSummary>(json, PlanJobs.Json) : null;

    /// <summary>Uploads, newest first.</summary>
    public IReadOnlyList<UploadSummary> List() =>
        [.. store.ListUploads().Select(j => JsonSerializer.Deserialize<UploadSummary>(j, PlanJobs.Json)!)];

    /// <summary>The case folder of upload <paramref name="id"/> (<c>ct/</c> + <c>rtstruct.dcm</c>).</summary>
    public string CaseDirectory(string id) => paths.UploadCase(id);
}
