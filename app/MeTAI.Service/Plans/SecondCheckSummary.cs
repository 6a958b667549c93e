using MeTAI.Service.Jobs;

namespace MeTAI.Service.Plans;

/// <summary>A plan's latest second check as the plan view names it (the whole check: <c>GET /api/plans/{id}/second-check</c>).</summary>
/// <param name="Id">The check's job id.</param>
/// <param name="Status">queued, running, succeeded, failed or cancelled.</param>
/// <param name="Passed">Whether it passed, once it succeeded; else null.</param>
public sealed record SecondCheckSummary(string Id, JobStatus Status, bool? Passed);
