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

    /// <summary>
    /// Deletes an upload and every plan made on it (rows and files). Refused (409) while a plan on it is queued or
    /// running, or when one is approved (an approved plan is kept; see docs/service.md).
    /// </summary>
    public (UploadDeletion? Done, string? Problem, int Status) Delete(string id)
    {
        if (store.GetUpload(id) is null)
        {
            return (null, $"No upload '{id}'.", StatusCodes.Status404NotFound);
        }

        IReadOnlyList<JobRecord> plans = store.JobsOnUpload(id);
        if (plans.FirstOrDefault(p => p.IsActive) is { } active)
        {
            return (null, $"Plan {active.Id} on upload {id} is {active.Status.ToString().ToLowerInvariant()}; cancel it first.", StatusCodes.Status409Conflict);
        }

        if (plans.FirstOrDefault(p => store.GetReview(p.Id) is { State: "approved" }) is { } approved)
        {
            return (null, $"Plan {approved.Id} on upload {id} is approved; an approved plan and the data it was made on are kept.", StatusCodes.Status409Conflict);
        }

        foreach (JobRecord plan in plans)
        {
            store.DeleteFinished(plan.Id);
            DeleteDirectory(paths.JobOutput(plan.Id));
        }

        store.DeleteUpload(id);
        DeleteDirectory(paths.Upload(id));
        return (new UploadDeletion(id, [.. plans.Select(p => p.Id)]), null, StatusCodes.Status200OK);
    }

    private static void DeleteDirectory(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The case folder of upload <paramref name="id"/> (<c>ct/</c> + <c>rtstruct.dcm</c>).</summary>
    public string CaseDirectory(string id) => paths.UploadCase(id);
}
