using MeTAI.Service.Audit;
using MeTAI.Service.Controller;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.Teleop;

/// <summary>
/// The browser console's endpoints: <c>POST /api/teleop/credential</c> (surgeons only, audited; only for the holder of
/// control, <see cref="ControlLease"/>), <c>POST /api/teleop/release</c> (the holder gives control up) and
/// <c>GET /api/teleop/mqtt</c>, the same-origin MQTT-over-WebSocket relay to the controller's broker.
/// </summary>
public static class TeleopApi
{
    /// <summary>Path of the WebSocket relay.</summary>
    public const string RelayPath = "/api/teleop/mqtt";

    /// <summary>Maps the teleoperation endpoints.</summary>
    public static IEndpointRouteBuilder MapTeleopApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder group = app.MapGroup("/api/teleop").WithTags("Teleoperation");
        group.MapPost("/credential", async Task<Results<Ok<TeleopCredential>, ProblemHttpResult>> (TeleopIssuer issuer, ControlLease lease, PhiAudit audit, HttpContext http) =>
        {
            if (issuer.Unavailable() is { } why)
            {
                return TypedResults.Problem(title: "Teleoperation unavailable", detail: why, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            string user = http.User.Identity?.Name ?? throw new InvalidOperationException("an authorised request has a user name");

            // Only the holder of control gets a credential: nobody holds it → the caller takes it (the console alone);
            // someone else holds it → it must be handed over (a shared session) or released first.
            (string? holder, string? session) = lease.Current;
            bool free = holder is null || (holder != user && lease.Lapsed);
            if (free && await lease.ChangeAsync(http, holder, user, null, holder is null ? "take" : "take (lapsed)", http.RequestAborted) is { } refused)
            {
                return TypedResults.Problem(title: "Control not taken", detail: refused, statusCode: StatusCodes.Status409Conflict);
            }

            if (!free && holder != user)
            {
                return TypedResults.Problem(title: "Control is held by another user",
                    detail: $"Control of the arm is held by '{holder}'{(session is null ? "" : $" in shared session {session}")}: it must be handed over to you, or released, first.",
                    statusCode: StatusCodes.Status409Conflict);
            }

            TeleopCredential credential = issuer.Issue(user);
            lease.NoteIssued(user, credential.ExpiresUtc);
            audit.Record(http, "teleopCredential", ("master", credential.MasterId), ("robot", credential.Robot),
                ("expiresUtc", credential.ExpiresUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            return TypedResults.Ok(credential);
        }).RequireAuthorization(Permissions.Teleoperate);

        // The holder gives control up (the console's Release button): nobody holds it, the broker refuses every token.
        group.MapPost("/release", async Task<Results<NoContent, ProblemHttpResult>> (ControlLease lease, HttpContext http) =>
        {
            string user = http.User.Identity?.Name ?? throw new InvalidOperationException("an authorised request has a user name");
            if (lease.Current.Holder != user)
            {
                return TypedResults.Problem(title: "Not the holder", detail: lease.Current.Holder is { } h ? $"Control is held by '{h}', not by you." : "Nobody holds control.",
                    statusCode: StatusCodes.Status409Conflict);
            }

            return await lease.ChangeAsync(http, user, null, null, "release", http.RequestAborted) is { } refused
                ? TypedResults.Problem(title: "Control not released", detail: refused, statusCode: StatusCodes.Status503ServiceUnavailable)
                : TypedResults.NoContent();
        }).RequireAuthorization(Permissions.Teleoperate);

        // The relay authenticates by the credential in its query (a browser cannot add headers to a WebSocket
        // handshake), checked here and again by the broker at CONNECT.
        group.Map("/mqtt", (HttpContext http, TeleopIssuer issuer, ControlLease lease, ControllerMonitor monitor, PhiAudit audit, IHostApplicationLifetime lifetime,
            ILoggerFactory loggers) => TeleopRelay.RunAsync(http, issuer, lease, monitor, audit, loggers.CreateLogger(typeof(TeleopRelay)), lifetime.ApplicationStopping))
            .AllowAnonymous();
        return app;
    }
}
