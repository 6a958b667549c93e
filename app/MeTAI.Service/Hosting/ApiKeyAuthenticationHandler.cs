using System.Security.Claims;
using System.Text.Encodings.Web;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Hosting;

/// <summary>
/// Authenticates scripts: a personal token (<see cref="UserStore.IssueToken"/>) in <c>Authorization: Bearer TOKEN</c>
/// or in <c>X-Api-Key</c>, looked up at every request (so expiry and revocation hold at once); or one of the service's
/// shared keys (<see cref="ApiKeys"/>, kept so existing scripts work), which acts as the user <c>api-key</c> with role
/// <see cref="ServiceOptions.ApiKeysRole"/>. Also answers every challenge (401 problem details with
/// <c>WWW-Authenticate</c>) and refusal (403 naming the permission) for the API, cookie sessions included.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeys keys, UserStore users, IOptions<ServiceOptions> serviceOptions, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The request header that carries a key or token.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>Claim type saying how a request was authenticated (token, key, session).</summary>
    public const string MethodClaim = "metai:auth";

    /// <summary>True when the request carries a token or key (so this scheme, not the session cookie, decides).</summary>
    public static bool HasCredentials(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return !string.IsNullOrEmpty(request.Headers[HeaderName].ToString())
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A principal for user <paramref name="name"/> with <paramref name="role"/>.</summary>
    public static ClaimsPrincipal Principal(string name, Role role, string method, string scheme, string? stamp = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(ClaimTypes.Role, Permissions.Name(role)), new(MethodClaim, method) };
        if (stamp is not null)
        {
            claims.Add(new Claim("metai:stamp", stamp));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = Request.Headers.TryGetValue(HeaderName, out var values) && values.Count > 0 ? values[0] : null;
        string authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        if (string.IsNullOrEmpty(presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (presented.StartsWith(UserStore.TokenPrefix, StringComparison.Ordinal)
            && users.FindByToken(presented, time.GetUtcNow().UtcDateTime) is { } user)
        {
            return Success(Principal(user.Name, user.Role, "token", SchemeName));
        }

        if (keys.IsValid(presented))
        {
            Role role = Permissions.ParseRole(serviceOptions.Value.ApiKeysRole);
            return Success(Principal("api-key", role, "key", SchemeName));
        }

        return Task.FromResult(AuthenticateResult.Fail("The token or key is not valid."));

        Task<AuthenticateResult> Success(ClaimsPrincipal principal) =>
            Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"Bearer, {SchemeName} header=\"{HeaderName}\"";
        string detail = HasCredentials(Request)
            ? "The token or key is not valid (unknown, expired or revoked). The X-Api-Key header does not hold a valid key."
            : "Sign in, or send a personal token in Authorization: Bearer TOKEN (or X-Api-Key).";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Sign-in required", detail, "https://tools.ietf.org/html/rfc9110#section-15.5.2").ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        string role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
        string? permission = Context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()?.Policy;
        string who = permission is not null && Permissions.Roles.TryGetValue(permission, out Role[]? roles)
            ? $"; it needs {permission}, which the roles {string.Join(", ", roles.Select(Permissions.Name))} hold" : string.Empty;
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Not permitted for your role",
            $"{Context.User.Identity?.Name} ({role}) may not do this{who}.", "https://tools.ietf.org/html/rfc9110#section-15.5.4").ConfigureAwait(false);
    }

    private Task WriteProblemAsync(int status, string title, string detail, string type) =>
        Response.WriteAsJsonAsync(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type },
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
}
