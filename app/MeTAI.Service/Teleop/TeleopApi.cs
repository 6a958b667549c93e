using MeTAI.Service.Audit;
using MeTAI.Service.Controller;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.Teleop;

/// <summary>
/// The browser console's endpoints: <c>POST /api/teleop/credential</c> (surgeons only, audited) and
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
        group.MapPost("/credential", Results<Ok<TeleopCredential>, ProblemHttpResult> (TeleopIssuer issuer, PhiAudit audit, HttpContext http) =>
        {
            if (issuer.Unavailable() is { } why)
            {
                return TypedResults.Problem(title: "Teleoperation unavailable", detail: why, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            string user = http.User.Identity?.Name ?? throw new InvalidOperationException("an authorised request has a user name");
            TeleopCredential credential = issuer.Issue(user);
            audit.Record(http, "teleopCredential", ("master", credential.MasterId), ("robot", credential.Robot),
                ("expiresUtc", credential.ExpiresUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            return TypedResults.Ok(credential);
        }).RequireAuthorization(Permissions.Teleoperate);

        // The relay authenticates by the credential in its query (a browser cannot add headers to a WebSocket
        // handshake), checked here and again by the broker at CONNECT.
        group.Map("/mqtt", (HttpContext http, TeleopIssuer issuer, ControllerMonitor monitor, PhiAudit audit, IHostApplicationLifetime lifetime,
            ILoggerFactory loggers) => TeleopRelay.RunAsync(http, issuer, monitor, audit, loggers.CreateLogger(typeof(TeleopRelay)), lifetime.ApplicationStopping))
            .AllowAnonymous();
        return app;
    }
}
