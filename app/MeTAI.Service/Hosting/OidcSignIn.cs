using System.Security.Claims;
using MeTAI.Service.Audit;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MeTAI.Service.Hosting;

/// <summary>
/// Sign-in through an OpenID Connect identity provider (<see cref="OidcOptions"/>, <c>Service:Oidc</c>): the
/// authorization-code flow with PKCE and the client secret, the id token (RS256, checked against the provider's
/// published keys, issuer, audience, lifetime and nonce) read for the user's name (<see cref="OidcOptions.NameClaim"/>)
/// and groups (<see cref="OidcOptions.RoleClaim"/>). A group mapped by <see cref="OidcOptions.RoleMap"/> gives the role:
/// none mapped, or groups mapped to different roles, refuse the sign-in saying so. The first sign-in creates the user
/// (marked as the provider's, no password); later ones follow a changed mapping. A local account of the same name is
/// never taken over. The result is the same session cookie as a password sign-in; each step is audited.
/// </summary>
public static class OidcSignIn
{
    /// <summary>The authentication scheme.</summary>
    public const string Scheme = "oidc";

    /// <summary>Where the provider sends the browser back.</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>Where the pages start a sign-in.</summary>
    public const string StartPath = "/api/session/oidc";

    /// <summary>Configures the handler.</summary>
    public static void Configure(OpenIdConnectOptions o, OidcOptions settings)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(settings);
        o.Authority = settings.Authority;
        o.ClientId = settings.ClientId;
        o.ClientSecret = settings.ClientSecret;
        o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        o.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back in the query of a top-level GET, so SameSite=Lax cookies (correlation, nonce) travel with
        // it over plain loopback HTTP too (a form post would need SameSite=None, which browsers allow only when Secure).
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.CallbackPath = CallbackPath;
        o.SignInScheme = SessionApi.CookieScheme;
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.SaveTokens = false;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.TokenValidationParameters.NameClaimType = settings.NameClaim;
        o.Events.OnTokenValidated = c => TokenValidatedAsync(c, settings);
        o.Events.OnRemoteFailure = c =>
        {
            // Back to the pages with the reason, which they show; never a bare 500.
            c.Response.Redirect("/?signin-error=" + Uri.EscapeDataString(c.Failure?.Message ?? "Sign-in failed."));
            c.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>Maps <c>GET /api/session/providers</c> (what the sign-in form offers) and <c>GET /api/session/oidc</c> (starts the sign-in).</summary>
    public static IEndpointRouteBuilder MapOidcSignIn(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/session/providers", (Microsoft.Extensions.Options.IOptions<ServiceOptions> options) =>
            TypedResults.Ok(new { oidc = options.Value.Oidc.Enabled ? new { name = options.Value.Oidc.DisplayName, start = StartPath } : null }))
            .AllowAnonymous().WithTags("Session");
        app.MapGet(StartPath, IResult (Microsoft.Extensions.Options.IOptions<ServiceOptions> options) => options.Value.Oidc.Enabled
            ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [Scheme])
            : TypedResults.Problem("OpenID Connect sign-in is not configured (Service:Oidc:Authority, Service:Oidc:ClientId).", statusCode: StatusCodes.Status404NotFound, title: "No identity provider"))
            .AllowAnonymous().RequireRateLimiting(SessionApi.SignInRateLimit).WithTags("Session");
        return app;
    }

    private static Task TokenValidatedAsync(TokenValidatedContext c, OidcOptions settings)
    {
        UserStore users = c.HttpContext.RequestServices.GetRequiredService<UserStore>();
        PhiAudit audit = c.HttpContext.RequestServices.GetRequiredService<PhiAudit>();
        ClaimsPrincipal idp = c.Principal!;
        string subject = idp.FindFirstValue("sub") ?? "";
        string issuer = c.SecurityToken?.Issuer ?? settings.Authority ?? "";
        string name = idp.FindFirstValue(settings.NameClaim) ?? "";
        string? problem = Resolve(users, settings, idp, name, issuer + "|" + subject, out Role role);
        if (problem is not null)
        {
            audit.Record(c.HttpContext, "signInFailed", ("account", name.Length <= UserStore.MaxNameLength ? name : name[..UserStore.MaxNameLength]), ("provider", settings.DisplayName), ("reason", problem));
            c.Fail(problem);
            return Task.CompletedTask;
        }

        UserRecord? user = users.Get(name);
        if (user is null)
        {
            users.AddExternal(name, role, issuer + "|" + subject);
            c.HttpContext.User = ApiKeyAuthenticationHandler.Principal(name, role, "session", SessionApi.CookieScheme);
            audit.Record(c.HttpContext, "userAdded", ("account", name), ("accountRole", Permissions.Name(role)), ("provider", settings.DisplayName));
        }
        else if (user.Role != role)
        {
            users.SetRole(name, role);
            c.HttpContext.User = ApiKeyAuthenticationHandler.Principal(name, role, "session", SessionApi.CookieScheme);
            audit.Record(c.HttpContext, "roleChanged", ("account", name), ("accountRole", Permissions.Name(role)), ("provider", settings.DisplayName));
        }

        user = users.Get(name)!;
        // A session like a password sign-in's ("session": the cross-site header check applies), with the user's stamp.
        c.Principal = ApiKeyAuthenticationHandler.Principal(user.Name, user.Role, "session", SessionApi.CookieScheme, user.SecurityStamp);
        c.HttpContext.User = c.Principal;
        audit.Record(c.HttpContext, "signIn", ("provider", settings.DisplayName));
        return Task.CompletedTask;
    }

    /// <summary>Why the provider's user may not sign in (null: they may, as <paramref name="role"/>).</summary>
    private static string? Resolve(UserStore users, OidcOptions settings, ClaimsPrincipal idp, string name, string externalId, out Role role)
    {
        role = default;
        try
        {
            UserStore.CheckName(name);
        }
        catch (ArgumentException ex)
        {
            return $"The identity provider's {settings.NameClaim} '{name}' cannot be a user name here: {ex.Message.Split(" (Parameter")[0]}";
        }

        string[] groups = [.. idp.FindAll(settings.RoleClaim).Select(g => g.Value)];
        var mapped = groups.Where(settings.RoleMap.ContainsKey).Select(g => (Group: g, Role: settings.RoleMap[g])).ToList();
        var roles = mapped.Select(m => m.Role.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count == 0)
        {
            return $"{name} has no role here: none of their identity provider's {settings.RoleClaim} ({(groups.Length == 0 ? "none" : string.Join(", ", groups))}) is mapped by Service:Oidc:RoleMap ({string.Join(", ", settings.RoleMap.Keys)}). Ask an administrator.";
        }

        if (roles.Count > 1)
        {
            return $"{name}'s {settings.RoleClaim} map to several roles ({string.Join(", ", mapped.Select(m => $"{m.Group} → {m.Role}"))}); one person has one role here. Ask an administrator.";
        }

        try
        {
            role = Permissions.ParseRole(roles[0]);
        }
        catch (ArgumentException ex)
        {
            return $"Service:Oidc:RoleMap maps to '{roles[0]}': {ex.Message}";
        }

        string? existing = users.ExternalId(name);
        return users.Get(name) is not null && existing != externalId
            ? (existing is null
                ? $"A local account named {name} exists; the identity provider's {name} does not take it over. Ask an administrator."
                : $"{name} here belongs to another identity ({existing}). Ask an administrator.")
            : null;
    }
}
