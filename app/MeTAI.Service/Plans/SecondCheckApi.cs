using System.Security.Claims;
using System.Text.Json;
using MeTAI.Service.Audit;
using MeTAI.Service.Jobs;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Plans;

/// <summary>
/// A plan's second check, part of its review: <c>POST /api/plans/{id}/second-check</c> queues the Monte Carlo recompute
/// and gamma (<see cref="SecondCheckRunner"/>) as a job of the job store, for <see cref="Permissions.PlansCheck"/>
/// (dosimetrist, physicist, physician; 403 for other roles); <c>GET</c> shows the latest check,
/// <c>…/second-check/cancel</c> stops it and <c>…/second-check/files/{kind}</c> downloads its files. Approval asks for a
/// passing one (<see cref="PlanApproval.MissingSecondCheck"/>).
/// </summary>
public static class SecondCheckApi
{
    /// <summary>Files a finished check offers, by the name used in the URL.</summary>
    public static readonly IReadOnlyDictionary<string, (string File, string ContentType)> Files = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["report"] = (SecondCheckRunner.ReportFile, "application/json"),
        ["gamma-plot"] = (SecondCheckRunner.PlotFile, "image/png"),
        ["rtdose"] = ("rtdose.dcm", "application/dicom"),
        ["summary"] = ("summary.json", "application/json"),
        ["log"] = (SecondCheckRunner.LogFile, "text/plain; charset=utf-8"),
    };

    /// <summary>Maps the second-check endpoints.</summary>
    public static IEndpointRouteBuilder MapSecondCheckApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder check = app.MapGroup("/api/plans/{id}/second-check").WithTags("Plans");
        check.MapPost("/", Request).RequireAuthorization(Permissions.PlansCheck);
        check.MapGet("/", Results<Ok<SecondCheckView>, ProblemHttpResult> (string id, PlanJobs jobs) =>
        {
            if (jobs.Store.GetPlan(id) is null)
            {
                return PlanNotFound(id);
            }

            IReadOnlyList<JobRecord> checks = jobs.Store.SecondChecksOf(id);
            return checks.Count > 0
                ? TypedResults.Ok(View(checks[0]))
                : TypedResults.Problem($"Plan {id} has no second check yet (POST /api/plans/{id}/second-check).", statusCode: StatusCodes.Status404NotFound, title: "No second check");
        }).RequireAuthorization(Permissions.PlansRead);
        check.MapPost("/cancel", Results<Accepted<SecondCheckView>, ProblemHttpResult> (string id, PlanJobs jobs, PhiAudit audit, HttpContext http) =>
        {
            if (jobs.Store.SecondChecksOf(id).FirstOrDefault(c => c.IsActive) is not { } active)
            {
                return TypedResults.Problem($"Plan {id} has no second check queued or running.", statusCode: StatusCodes.Status409Conflict, title: "No active second check");
            }

            jobs.Cancel(active.Id);
            audit.Record(http, "secondCheckCancelled", ("plan", id), ("check", active.Id));
            return TypedResults.Accepted($"/api/plans/{id}/second-check", View(jobs.Store.GetJob(active.Id)!));
        }).RequireAuthorization(Permissions.PlansCheck);
        check.MapGet("/files/{kind}", Results<PhysicalFileHttpResult, ProblemHttpResult> (string id, string kind, PlanJobs jobs, PhiAudit audit, HttpContext http) =>
        {
            if (!Files.TryGetValue(kind, out (string File, string ContentType) f))
            {
                return TypedResults.Problem($"No file kind '{kind}'. Kinds: {string.Join(", ", Files.Keys)}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown file kind");
            }

            if (jobs.Store.SecondChecksOf(id).FirstOrDefault(c => c.Status == JobStatus.Succeeded) is not { } done)
            {
                return TypedResults.Problem($"Plan {id} has no finished second check.", statusCode: StatusCodes.Status404NotFound, title: "No second check");
            }

            string path = Path.Combine(jobs.Paths.JobOutput(done.Id), f.File);
            if (!File.Exists(path))
            {
                return TypedResults.Problem($"Second check {done.Id} has no {f.File} (removed by hand?).", statusCode: StatusCodes.Status404NotFound, title: "File not found");
            }

            audit.Record(http, "downloaded", ("plan", id), ("check", done.Id), ("file", "second-check " + kind));
            return TypedResults.PhysicalFile(path, f.ContentType, $"plan-{id}-second-check-{f.File}");
        }).RequireAuthorization(Permissions.PhiRead);
        return app;
    }

    private static Results<Accepted<SecondCheckView>, ValidationProblem, ProblemHttpResult> Request(string id, SecondCheckSubmission? body, PlanJobs jobs, PhiAudit audit, HttpContext http, IOptions<Hosting.ServiceOptions> options)
    {
        JobRecord? plan = jobs.Store.GetPlan(id);
        if (plan is null)
        {
            return PlanNotFound(id);
        }

        if (plan.Status != JobStatus.Succeeded)
        {
            return TypedResults.Problem($"Plan {id} is {plan.Status.ToString().ToLowerInvariant()}; a second check recomputes a plan that has succeeded.", statusCode: StatusCodes.Status409Conflict, title: "Plan not finished");
        }

        if (jobs.Store.GetReview(id) is { State: "approved" })
        {
            return TypedResults.Problem($"Plan {id} is approved; its review, second check included, is closed.", statusCode: StatusCodes.Status409Conflict, title: "Plan is approved");
        }

        if (jobs.Store.SecondChecksOf(id).FirstOrDefault(c => c.IsActive) is { } active)
        {
            return TypedResults.Problem($"Plan {id}'s second check {active.Id} is already {active.Status.ToString().ToLowerInvariant()}.", statusCode: StatusCodes.Status409Conflict, title: "Second check already active");
        }

        string user = http.User.FindFirstValue(ClaimTypes.Name) ?? "unknown";
        int quota = options.Value.MaxActivePlansPerUser;
        if (quota > 0 && jobs.Store.ActiveJobsOf(user) >= quota)
        {
            return TypedResults.Problem($"{user} already has {quota} job(s) queued or running (Service:MaxActivePlansPerUser); wait for one to finish or cancel one.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Plan quota reached");
        }

        if (body?.Histories is < 10_000 or > 1_000_000_000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["histories"] = ["histories must be 10 000 – 1 000 000 000."] }, title: "The second-check request is not valid.");
        }

        PlanJobRequest planRequest = JsonSerializer.Deserialize<PlanJobRequest>(plan.RequestJson, PlanJobs.Json)!;
        var request = new PlanJobRequest
        {
            SecondCheckOf = id,
            UploadId = planRequest.UploadId,
            CaseName = planRequest.CaseName,
            Protocol = planRequest.Protocol,
            ProtocolPath = planRequest.ProtocolPath,
            Histories = body?.Histories ?? options.Value.SecondCheckHistories,
            Seed = body?.Seed ?? (planRequest.Seed + 1),
            SubmittedBy = user,
        };
        JobRecord job = jobs.Submit(request);
        audit.Record(http, "secondCheckRequested", ("plan", id), ("check", job.Id), ("histories", request.Histories.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return TypedResults.Accepted($"/api/plans/{id}/second-check", View(job));
    }

    /// <summary>The API view of a second-check job.</summary>
    public static SecondCheckView View(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        PlanJobRequest request = JsonSerializer.Deserialize<PlanJobRequest>(job.RequestJson, PlanJobs.Json)!;
        SecondCheckOutcome? result = job.Status == JobStatus.Succeeded && job.ResultJson is { } r ? JsonSerializer.Deserialize<SecondCheckOutcome>(r, PlanJobs.Json) : null;
        string self = $"/api/plans/{request.SecondCheckOf}/second-check";
        return new SecondCheckView
        {
            Id = job.Id,
            PlanId = request.SecondCheckOf!,
            Status = job.Status,
            Progress = Math.Round(job.Progress, 4),
            Phase = job.Phase,
            RequestedBy = request.SubmittedBy,
            Histories = request.Histories,
            Seed = request.Seed,
            CreatedUtc = job.CreatedUtc,
            FinishedUtc = job.FinishedUtc,
            Error = job.Error,
            Result = result,
            Links = result is null ? null : Files.Keys.ToDictionary(k => k, k => $"{self}/files/{k}", StringComparer.Ordinal),
        };
    }

    private static ProblemHttpResult PlanNotFound(string id) =>
        TypedResults.Problem($"No plan '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Plan not found");
}
