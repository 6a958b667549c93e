using MeTAI.Service.Users;

namespace MeTAI.Service.Audit;

/// <summary>
/// <c>GET /api/audit[?user=&amp;kind=&amp;subject=&amp;limit=]</c> (newest first) and <c>GET /api/audit/verify</c>
/// (the chain check), for admins only.
/// </summary>
public static class AuditApi
{
    /// <summary>Maps the audit endpoints.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Permissions.Admin);
        audit.MapGet("/", (PhiAudit log, string? user, string? kind, string? subject, int? limit) =>
            TypedResults.Ok(log.Query(user, kind, subject, Math.Clamp(limit ?? 500, 1, 10_000))));
        audit.MapGet("/verify", (PhiAudit log) => TypedResults.Ok(log.Verify()));
        return app;
    }
}
