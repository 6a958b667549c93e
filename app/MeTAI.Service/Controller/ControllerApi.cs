using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.Controller;

/// <summary><c>GET /api/controller/state</c> (JSON) and <c>GET /api/controller/events</c> (server-sent events).</summary>
public static class ControllerApi
{
    /// <summary>Maps the controller endpoints.</summary>
    public static IEndpointRouteBuilder MapControllerApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder group = app.MapGroup("/api/controller").WithTags("Controller").RequireAuthorization(Users.Permissions.ControllerRead);
        group.MapGet("/state", (ControllerMonitor monitor) => TypedResults.Ok(monitor.Snapshot()));
        // A stream ends when the client goes or the service begins to stop: an open stream must not hold the shutdown
        // up until the host's timeout (Kestrel waits for running requests to finish).
        group.MapGet("/events", ServerSentEventsResult<string> (ControllerMonitor monitor, IHostApplicationLifetime lifetime, HttpContext context) =>
            TypedResults.ServerSentEvents(monitor.EventsAsync(context.RequestAborted, lifetime.ApplicationStopping)));
        return app;
    }
}
