using System.Security.Claims;
using MeTAI.Service.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.Users;

/// <summary>
/// Web sign-in: <c>POST /api/session</c> <c>{name, password[, newPassword]}</c> sets an HTTP-only, SameSite=Strict
/// session cookie (a one-time password must be replaced in the same request: without <c>newPassword</c> the answer is
/// 403 with <c>mustChangePassword</c>); <c>GET /api/session</c> says who is signed in, with which role and
/// permissions; <c>DELETE /api/session</c> signs out. Sessions end when the user's security stamp changes
/// (revocation, role or password change) — checked at every request.
/// </summary>
public static class SessionApi
{
    /// <summary>Cookie scheme name.</summary>
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Rate-limiter policy of the sign-in endpoint.</summary>
    public const string SignInRateLimit = "sign-in";

    /// <summary>Sign-in request.</summary>
    public sealed record SignIn(string? Name, string? Password, string? NewPassword);

    /// <summary>Who is signed in.</summary>
    public sealed record Me(string Name, string Role, string Method, IReadOnlyList<string> Permissions);

    /// <summary>Maps the session endpoints.</summary>
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder session = app.MapGroup("/api/session").WithTags("Session");
        session.MapPost("/", SignInAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit);
        session.MapGet("/", (ClaimsPrincipal user) => TypedResults.Ok(Describe(user)));
        session.MapDelete("/", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieScheme).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The view of a principal.</summary>
    public static Me Describe(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Role role = Permissions.ParseRole(user.FindFirstValue(ClaimTypes.Role) ?? "none");
        return new Me(user.Identity?.Name ?? "", Permissions.Name(role), user.FindFirstValue(ApiKeyAuthenticationHandler.MethodClaim) ?? "", Permissions.Of(role));
    }

    private static async Task<Results<Ok<Me>, ProblemHttpResult>> SignInAsync(SignIn body, HttpContext context, UserStore users, Audit.PhiAudit audit)
    {
        if (string.IsNullOrEmpty(body.Name) || string.IsNullOrEmpty(body.Password))
        {
            return TypedResults.Problem("Send name and password.", statusCode: StatusCodes.Status400BadRequest, title: "Sign-in needs a name and a password");
        }

        UserRecord? user = body.Name.Length <= UserStore.MaxNameLength ? users.CheckPassword(body.Name, body.Password) : null;
        if (user is null)
        {
            audit.Record(context, "signInFailed", ("account", body.Name.Length <= UserStore.MaxNameLength ? body.Name : body.Name[..UserStore.MaxNameLength]));
            return TypedResults.Problem("The name or the password is wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
        }

        if (user.MustChangePassword)
        {
            if (string.IsNullOrEmpty(body.NewPassword))
            {
                return TypedResults.Problem("This is a one-time password: choose a new one (newPassword, at least 12 characters).",
                    statusCode: StatusCodes.Status403Forbidden, title: "Password change required", extensions: new Dictionary<string, object?> { ["mustChangePassword"] = true });
            }

            try
            {
                users.SetPassword(user.Name, body.NewPassword);
            }
            catch (ArgumentException ex)
            {
                return TypedResults.Problem(ex.Message.Split(" (Parameter")[0], statusCode: StatusCodes.Status400BadRequest, title: "Password not accepted");
            }

            user = users.Get(user.Name)!;
        }

        ClaimsPrincipal principal = ApiKeyAuthenticationHandler.Principal(user.Name, user.Role, "session", CookieScheme, user.SecurityStamp);
        await context.SignInAsync(CookieScheme, principal).ConfigureAwait(false);
        context.User = principal;
        audit.Record(context, "signIn");
        return TypedResults.Ok(Describe(principal));
    }

    /// <summary>Cookie check at every request: the user still exists and the session's stamp is theirs.</summary>
    public static Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        UserStore users = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        string? name = context.Principal?.Identity?.Name;
        UserRecord? user = name is null ? null : users.Get(name);
        if (user is null || user.SecurityStamp != context.Principal!.FindFirstValue("metai:stamp"))
        {
            context.RejectPrincipal();
            return context.HttpContext.SignOutAsync(CookieScheme);
        }

        return Task.CompletedTask;
    }
}
