using System.Net.ServerSentEvents;
using System.Security.Claims;
using MeTAI.Service.Audit;
using MeTAI.Service.Jobs;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.SharedSessions;

/// <summary>Body of <c>POST /api/shared-sessions</c>.</summary>
/// <param name="Title">Title (1–120 characters; default "Shared session").</param>
/// <param name="RehearsalId">The rehearsal whose scene everyone sees (optional).</param>
/// <param name="As">The opener's session role (default instructor).</param>
public sealed record OpenSessionRequest(string? Title, string? RehearsalId, string? As);

/// <summary>Body of <c>POST /api/shared-sessions/{id}/join</c>.</summary>
/// <param name="As">surgeon, assistant, instructor or observer.</param>
public sealed record JoinSessionRequest(string? As);

/// <summary>Body of <c>POST /api/shared-sessions/{id}/pointer</c> and <c>…/annotations</c>.</summary>
/// <param name="Position">x, y, z in the scene's frame: patient LPS, millimetres.</param>
/// <param name="Text">The annotation's text (annotations only).</param>
public sealed record ScenePointRequest(double[]? Position, string? Text);

/// <summary>Body of <c>POST /api/shared-sessions/{id}/control</c>.</summary>
/// <param name="Action">take, handover, takeover or release.</param>
/// <param name="To">The participant control goes to (handover).</param>
public sealed record ControlRequest(string? Action, string? To);

/// <summary>Body of <c>POST /api/shared-sessions/{id}/replay</c>.</summary>
/// <param name="Frame">Frame index (≥ 0).</param>
/// <param name="Playing">True to play.</param>
public sealed record ReplayRequest(int Frame, bool Playing);

/// <summary>
/// <c>/api/shared-sessions</c>: several people in one live session of a case (docs/service.md, "Shared sessions").
/// Seeing and joining need <see cref="Permissions.RehearsalsRead"/> (the scene shows the patient's anatomy); holding
/// control needs <see cref="Permissions.Teleoperate"/> too, and a session role other than observer
/// (<see cref="SharedSessionHub"/>). Everything a participant does goes through the server: a page cannot give itself
/// control, and the broker admits only the holder's console token.
/// </summary>
public static class SharedSessionsApi
{
    /// <summary>Largest |coordinate| of a pointer or annotation (mm).</summary>
    public const double MaxCoordinateMm = 5000;

    /// <summary>Longest annotation (characters).</summary>
    public const int MaxTextLength = 280;

    /// <summary>Maps the shared-session endpoints.</summary>
    public static IEndpointRouteBuilder MapSharedSessionsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder api = app.MapGroup("/api/shared-sessions").WithTags("Shared sessions").RequireAuthorization(Permissions.RehearsalsRead);
        api.MapGet("/", (SharedSessionHub hub) => TypedResults.Ok(hub.List().Select(hub.View)));
        api.MapPost("/", Results<Created<SharedSessionView>, ProblemHttpResult> (OpenSessionRequest? body, SharedSessionHub hub, PlanJobs jobs, PhiAudit audit, HttpContext http) =>
        {
            string title = string.IsNullOrWhiteSpace(body?.Title) ? "Shared session" : body.Title.Trim();
            if (title.Length > 120 || title.Any(char.IsControl))
            {
                return Bad("title", "is 1-120 characters without control characters");
            }

            if (body?.RehearsalId is { } rid && jobs.Store.GetRehearsal(rid) is null)
            {
                return Bad("rehearsalId", $"names no rehearsal ('{rid}')");
            }

            if (ParseRole(body?.As ?? "instructor") is not { } role)
            {
                return Bad("as", $"is one of {RoleNames}");
            }

            if (hub.Open(title, body?.RehearsalId, User(http)) is not { } session)
            {
                return TypedResults.Problem($"{SharedSessionHub.MaxSessions} sessions are live already; end one first.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sessions");
            }

            session.Join(Participant(http, role));
            audit.Record(http, "sharedSessionOpened", ("session", session.Id), ("rehearsal", session.RehearsalId ?? ""), ("as", Name(role)));
            return TypedResults.Created($"/api/shared-sessions/{session.Id}", hub.View(session));
        });
        api.MapGet("/{id}", Results<Ok<SharedSessionView>, ProblemHttpResult> (string id, SharedSessionHub hub) =>
            hub.Get(id) is { } s ? TypedResults.Ok(hub.View(s)) : NotFound(id));
        api.MapPost("/{id}/join", Results<Ok<SharedSessionView>, ProblemHttpResult> (string id, JoinSessionRequest? body, SharedSessionHub hub, PhiAudit audit, HttpContext http) =>
        {
            if (hub.Get(id) is not { } s)
            {
                return NotFound(id);
            }

            if (ParseRole(body?.As ?? "observer") is not { } role)
            {
                return Bad("as", $"is one of {RoleNames}");
            }

            if (s.Join(Participant(http, role)) is { } why)
            {
                return TypedResults.Problem(why, statusCode: StatusCodes.Status409Conflict, title: "Cannot join");
            }

            audit.Record(http, "sharedSessionJoined", ("session", id), ("as", Name(role)));
            return TypedResults.Ok(hub.View(s));
        });
        api.MapPost("/{id}/leave", async Task<Results<NoContent, ProblemHttpResult>> (string id, SharedSessionHub hub, PhiAudit audit, HttpContext http) =>
        {
            if (hub.Get(id) is not { } s)
            {
                return NotFound(id);
            }

            if (await hub.LeaveAsync(http, s, User(http), http.RequestAborted).ConfigureAwait(false) is { } why)
            {
                return TypedResults.Problem(why, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Control not released");
            }

            audit.Record(http, "sharedSessionLeft", ("session", id));
            return TypedResults.NoContent();
        });
        api.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, SharedSessionHub hub, PhiAudit audit, HttpContext http) =>
        {
            if (hub.Get(id) is not { } s)
            {
                return NotFound(id);
            }

            string user = User(http);
            if (user != s.CreatedBy && s.Participant(user)?.Role != "instructor")
            {
                return TypedResults.Problem("Only whoever opened the session or its instructor can end it.", statusCode: StatusCodes.Status403Forbidden, title: "Cannot end");
            }

            if (await hub.EndAsync(http, s, user, http.RequestAborted).ConfigureAwait(false) is { } why)
            {
                return TypedResults.Problem(why, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Control not released");
            }

            audit.Record(http, "sharedSessionEnded", ("session", id));
            return TypedResults.NoContent();
        });
        api.MapPost("/{id}/pointer", Results<NoContent, ProblemHttpResult> (string id, ScenePointRequest? body, SharedSessionHub hub, TimeProvider time, HttpContext http) =>
        {
            if (Member(hub, id, http, out SharedSession? s) is { } refused)
            {
                return refused;
            }

            if (CheckPosition(body?.Position) is { } bad)
            {
                return bad;
            }

            s!.Point(User(http), body!.Position!, time.GetUtcNow());
            return TypedResults.NoContent();
        });
        api.MapPost("/{id}/annotations", Results<Created<AnnotationView>, ProblemHttpResult> (string id, ScenePointRequest? body, SharedSessionHub hub, TimeProvider time, PhiAudit audit, HttpContext http) =>
        {
            if (Member(hub, id, http, out SharedSession? s) is { } refused)
            {
                return refused;
            }

            if (CheckPosition(body?.Position) is { } bad)
            {
                return bad;
            }

            string text = body!.Text?.Trim() ?? "";
            if (text.Length is 0 or > MaxTextLength || text.Any(char.IsControl))
            {
                return Bad("text", $"is 1-{MaxTextLength} characters without control characters");
            }

            if (s!.Annotate(User(http), body.Position!, text, time.GetUtcNow()) is not { } a)
            {
                return TypedResults.Problem($"Session {id} has {SharedSession.MaxAnnotations} annotations; remove some first.", statusCode: StatusCodes.Status409Conflict, title: "Too many annotations");
            }

            audit.Record(http, "sharedSessionAnnotated", ("session", id), ("annotation", a.Id));
            return TypedResults.Created($"/api/shared-sessions/{id}/annotations/{a.Id}", a);
        });
        api.MapDelete("/{id}/annotations/{annotationId}", Results<NoContent, ProblemHttpResult> (string id, string annotationId, SharedSessionHub hub, HttpContext http) =>
        {
            if (Member(hub, id, http, out SharedSession? s) is { } refused)
            {
                return refused;
            }

            if (s!.Annotation(annotationId) is not { } a)
            {
                return TypedResults.Problem($"Session {id} has no annotation '{annotationId}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            }

            string user = User(http);
            if (a.User != user && s.Participant(user)?.Role != "instructor")
            {
                return TypedResults.Problem("Only its author or the session's instructor can remove an annotation.", statusCode: StatusCodes.Status403Forbidden, title: "Cannot remove");
            }

            s.RemoveAnnotation(annotationId);
            return TypedResults.NoContent();
        });
        api.MapPost("/{id}/replay", Results<NoContent, ProblemHttpResult> (string id, ReplayRequest? body, SharedSessionHub hub, TimeProvider time, HttpContext http) =>
        {
            if (Member(hub, id, http, out SharedSession? s) is { } refused)
            {
                return refused;
            }

            string user = User(http);
            if (s!.Participant(user)?.Role == "observer")
            {
                return TypedResults.Problem("Observers watch the replay; the other participants drive it.", statusCode: StatusCodes.Status403Forbidden, title: "Observer");
            }

            if (body is null || body.Frame < 0)
            {
                return Bad("frame", "is a frame index ≥ 0");
            }

            s.SetReplay(new ReplayView(body.Frame, body.Playing, user, time.GetUtcNow()));
            return TypedResults.NoContent();
        });
        api.MapPost("/{id}/control", async Task<Results<Ok<SharedSessionView>, ProblemHttpResult>> (string id, ControlRequest? body, SharedSessionHub hub, HttpContext http) =>
        {
            if (hub.Get(id) is not { } s)
            {
                return NotFound(id);
            }

            if (string.IsNullOrEmpty(body?.Action))
            {
                return Bad("action", "is take, handover, takeover or release");
            }

            // Only users who may teleoperate ever hold control; the hub checks the participant's role too.
            if (await hub.ControlAsync(http, s, body.Action, User(http), body.To, http.RequestAborted).ConfigureAwait(false) is { } refused)
            {
                return TypedResults.Problem(refused.Why, statusCode: refused.Status, title: "Control unchanged");
            }

            return TypedResults.Ok(hub.View(s));
        });
        api.MapGet("/{id}/events", Results<ServerSentEventsResult<string>, ProblemHttpResult> (string id, SharedSessionHub hub, IHostApplicationLifetime lifetime, HttpContext http) =>
        {
            if (Member(hub, id, http, out SharedSession? s, allowEnded: true) is { } refused)
            {
                return refused;
            }

            return TypedResults.ServerSentEvents(Events(s!, hub, http.RequestAborted, lifetime.ApplicationStopping));
        });
        return app;
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(SharedSession s, SharedSessionHub hub, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken requestAborted,
        CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        await foreach (SseItem<string> item in s.EventsAsync(() => hub.View(s), linked.Token).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    private static string RoleNames => string.Join(", ", Enum.GetValues<SessionRole>().Select(Name));

    private static string Name(SessionRole role) => role.ToString().ToLowerInvariant();

    private static SessionRole? ParseRole(string text) =>
        Enum.TryParse(text, ignoreCase: true, out SessionRole r) && Enum.IsDefined(r) && !int.TryParse(text, out _) ? r : null;

    private static string User(HttpContext http) => http.User.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("an authorised request has a user name");

    private static ParticipantView Participant(HttpContext http, SessionRole role)
    {
        bool operates = role != SessionRole.Observer
            && Permissions.Roles[Permissions.Teleoperate].Any(r => Permissions.Name(r) == http.User.FindFirstValue(ClaimTypes.Role));
        return new ParticipantView(User(http), Name(role), operates, DateTimeOffset.UtcNow);
    }

    // The caller must have joined the (live) session.
    private static ProblemHttpResult? Member(SharedSessionHub hub, string id, HttpContext http, out SharedSession? session, bool allowEnded = false)
    {
        session = hub.Get(id);
        if (session is null)
        {
            return NotFound(id);
        }

        if (session.Ended && !allowEnded)
        {
            return TypedResults.Problem($"Session {id} has ended.", statusCode: StatusCodes.Status409Conflict, title: "Session ended");
        }

        return session.Participant(User(http)) is null
            ? TypedResults.Problem($"Join session {id} first (POST /api/shared-sessions/{id}/join).", statusCode: StatusCodes.Status403Forbidden, title: "Not a participant")
            : null;
    }

    private static ProblemHttpResult? CheckPosition(double[]? p) =>
        p is { Length: 3 } && p.All(v => double.IsFinite(v) && Math.Abs(v) <= MaxCoordinateMm)
            ? null
            : Bad("position", $"is [x, y, z] in patient LPS millimetres, each finite and within ±{MaxCoordinateMm} mm");

    private static ProblemHttpResult Bad(string field, string what) =>
        TypedResults.Problem($"'{field}' {what}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"No shared session '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
