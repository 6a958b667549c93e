using System.Globalization;
using MeTAI.Core.IO;
using MeTAI.Dicom;
using MeTAI.Service.Jobs;

namespace MeTAI.Service.Plans;

/// <summary>
/// Review and approval of a succeeded plan: draft → reviewed → approved, each by a user holding
/// <c>plans.approve</c> (physicist, physician). Approving writes the RT Plan's Approval module into the plan's
/// <c>rtplan.dcm</c> — Approval Status (300E,0002) <c>APPROVED</c>, Review Date (300E,0004), Review Time (300E,0005)
/// and Reviewer Name (300E,0008) — and makes the plan immutable: its files become read-only (0400) and the API refuses
/// to delete it or change its review.
/// </summary>
public sealed class PlanApproval(PlanJobs jobs, TimeProvider time)
{
    /// <summary>What a review or approval request did.</summary>
    public enum Outcome
    {
        /// <summary>Done.</summary>
        Done,

        /// <summary>No such plan.</summary>
        NotFound,

        /// <summary>The plan is not in the state the step needs (named in the message).</summary>
        Conflict,
    }

    /// <summary>Marks a succeeded draft plan reviewed by <paramref name="user"/>.</summary>
    public (Outcome Outcome, string Message) Review(string id, string user)
    {
        if (Check(id, out string? problem) is { } early)
        {
            return (early, problem!);
        }

        return jobs.Store.MarkReviewed(id, user, time.GetUtcNow().UtcDateTime)
            ? (Outcome.Done, "reviewed")
            : (Outcome.Conflict, $"Plan {id} is already {jobs.Store.GetReview(id)?.State}; a plan is reviewed once.");
    }

    /// <summary>Approves a reviewed plan as <paramref name="user"/> and writes the approval into its RT Plan.</summary>
    public (Outcome Outcome, string Message) Approve(string id, string user)
    {
        if (Check(id, out string? problem) is { } early)
        {
            return (early, problem!);
        }

        DateTime now = time.GetUtcNow().UtcDateTime;
        if (!jobs.Store.MarkApproved(id, user, now))
        {
            return (Outcome.Conflict, jobs.Store.GetReview(id) is { } r
                ? $"Plan {id} is already {r.State}; an approved plan cannot change."
                : $"Plan {id} is a draft: review it first (POST /api/plans/{id}/review), then approve.");
        }

        string dir = jobs.Paths.JobOutput(id);
        try
        {
            WriteApproval(Path.Combine(dir, "rtplan.dcm"), user, now);
        }
        catch (Exception ex) when (ex is IOException or DicomFormatException or UnauthorizedAccessException)
        {
            jobs.Store.UndoApproval(id);
            return (Outcome.Conflict, $"Plan {id}'s rtplan.dcm could not take the approval ({ex.Message}); it stays in review.");
        }

        MakeReadOnly(dir);
        return (Outcome.Done, "approved");
    }

    /// <summary>Sets the Approval module of the RT Plan at <paramref name="path"/> (written whole to a temporary file, then renamed).</summary>
    public static void WriteApproval(string path, string reviewer, DateTime utc)
    {
        DicomFile file = DicomFile.Open(path);
        file.Dataset.AddOrUpdate(DicomTags.ApprovalStatus, DicomVR.CS, "APPROVED");
        file.Dataset.AddOrUpdate(DicomTags.ReviewDate, DicomVR.DA, utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        file.Dataset.AddOrUpdate(DicomTags.ReviewTime, DicomVR.TM, utc.ToString("HHmmss", CultureInfo.InvariantCulture));
        file.Dataset.AddOrUpdate(DicomTags.ReviewerName, DicomVR.PN, reviewer);
        AtomicFile.WriteAllBytes(path, file.ToBytes());
    }

    private Outcome? Check(string id, out string? problem)
    {
        problem = null;
        JobRecord? job = jobs.Store.GetJob(id);
        if (job is null)
        {
            problem = $"No plan '{id}'.";
            return Outcome.NotFound;
        }

        if (job.Status != JobStatus.Succeeded)
        {
            problem = $"Plan {id} is {job.Status.ToString().ToLowerInvariant()}; only a succeeded plan is reviewed and approved.";
            return Outcome.Conflict;
        }

        return null;
    }

    private static void MakeReadOnly(string dir)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(dir))
        {
            return;
        }

        foreach (string f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(f, UnixFileMode.UserRead);
        }
    }
}
