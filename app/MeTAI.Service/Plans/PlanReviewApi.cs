using System.Security.Claims;
using MeTAI.Service.Audit;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.Plans;

/// <summary>
/// <c>POST /api/plans/{id}/review</c> (draft → reviewed) and <c>POST /api/plans/{id}/approve</c> (reviewed → approved,
/// written into the RT Plan), for <see cref="Permissions.PlansApprove"/> (physicist, physician); 403 for other roles,
/// 409 when the plan is not in the state the step needs (see <see cref="PlanApproval"/>).
/// </summary>
public static class PlanReviewApi
{
    /// <summary>Maps the review endpoints.</summary>
    public static IEndpointRouteBuilder MapPlanReviewApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder plans = app.MapGroup("/api/plans").WithTags("Plans").RequireAuthorization(Permissions.PlansApprove);
        plans.MapPost("/{id}/review", (string id, PlanApproval approval, Jobs.PlanJobs jobs, PhiAudit audit, HttpContext http) =>
            Answer(id, approval.Review(id, Name(http)), "reviewed", jobs, audit, http));
        plans.MapPost("/{id}/approve", (string id, PlanApproval approval, Jobs.PlanJobs jobs, PhiAudit audit, HttpContext http) =>
            Answer(id, approval.Approve(id, Name(http)), "approved", jobs, audit, http));
        return app;
    }

    private static string Name(HttpContext http) => http.User.FindFirstValue(ClaimTypes.Name) ?? "unknown";

    private static Results<Ok<PlanView>, ProblemHttpResult> Answer(string id, (PlanApproval.Outcome Outcome, string Message) result, string kind, Jobs.PlanJobs jobs, PhiAudit audit, HttpContext http)
    {
        switch (result.Outcome)
        {
            case PlanApproval.Outcome.NotFound:
                return TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Plan not found");
            case PlanApproval.Outcome.Conflict:
                return TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: $"Plan cannot be {kind}");
            default:
                audit.Record(http, kind, ("plan", id));
                return TypedResults.Ok(PlansApi.View(jobs.Store.GetJob(id)!, jobs.Store.GetReview(id)));
        }
    }
}
