using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.Controller;

/// <summary><c>GET /api/controller/state</c> (JSON) and <c>GET /api/controller/events</c> (server-sent events).</summary>
public static class ControllerApi
{
    /// <summary>Maps the controller endpoints.</summary>
    public static IEndpointRouteBuilder MapControllerApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder group = app.MapGroup("/api/controller").WithTags("Controller");
        group.MapGet("/state", (ControllerMonitor monitor) => TypedResults.Ok(monitor.Snapshot()));
        group.MapGet("/events", ServerSentEventsResult<string> (ControllerMonitor monitor, CancellationToken ct) =>
            TypedResults.ServerSentEvents(monitor.EventsAsync(ct)));
        return app;
    }
}
