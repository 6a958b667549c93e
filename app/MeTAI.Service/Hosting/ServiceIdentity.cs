using System.Security.Claims;
using System.Threading.RateLimiting;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Hosting;

/// <summary>
/// Who may do what: a policy scheme that hands requests carrying <c>Authorization: Bearer</c> or <c>X-Api-Key</c> to
/// <see cref="ApiKeyAuthenticationHandler"/> and the rest to the session cookie; one authorization policy per
/// <see cref="Permissions"/> entry; rate limits on sign-in (per client address) and on the API (per user); and the
/// cross-site request check for cookie sessions.
/// </summary>
public static class ServiceIdentity
{
    /// <summary>The default scheme (forwards to the token handler or the cookie).</summary>
    public const string Scheme = "MeTAI";

    /// <summary>Header the pages send with every state-changing request (a cross-site form cannot).</summary>
    public const string CsrfHeader = "X-MeTAI-Request";

    /// <summary>Rate-limiter policy of the API.</summary>
    public const string ApiRateLimit = "api";

    /// <summary>Registers authentication, authorization, data protection and rate limiting.</summary>
    public static WebApplicationBuilder AddMetaiIdentity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection s = builder.Services;
        ServiceOptions o = builder.Configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>() ?? new ServiceOptions();
        s.AddDataProtection().SetApplicationName("MeTAI.Service")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(o.DataDirectoryFullPath, "keys")));
        s.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Token, key or session", p =>
            {
                p.ForwardDefaultSelector = c => ApiKeyAuthenticationHandler.HasCredentials(c.Request) ? ApiKeyAuthenticationHandler.SchemeName : SessionApi.CookieScheme;
                p.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
                p.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(SessionApi.CookieScheme, c =>
            {
                c.Cookie.Name = "metai.session";
                c.Cookie.HttpOnly = true;
                c.Cookie.SameSite = SameSiteMode.Strict;
                c.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                c.ExpireTimeSpan = TimeSpan.FromHours(o.SessionHours);
                c.SlidingExpiration = true;
                c.Events.OnValidatePrincipal = SessionApi.ValidateAsync;
                c.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
                c.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
            });
        AuthorizationBuilder auth = s.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build());
        foreach ((string permission, Role[] roles) in Permissions.Roles)
        {
            auth.AddPolicy(permission, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(roles.Select(Permissions.Name)));
        }

        s.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = 429,
                    Title = "Too many requests",
                    Detail = "Slow down: this client has used its requests for this minute (Service:SignInPerMinute, Service:ApiRequestsPerMinute).",
                }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", ct).ConfigureAwait(false);
            };
            r.AddPolicy(SessionApi.SignInRateLimit, c => RateLimitPartition.GetFixedWindowLimiter(
                c.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Limit(c, x => x.SignInPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            r.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(c => c.Request.Path.StartsWithSegments("/api")
                ? RateLimitPartition.GetFixedWindowLimiter(c.User.Identity?.IsAuthenticated == true ? "user:" + c.User.Identity.Name : "ip:" + c.Connection.RemoteIpAddress,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = Limit(c, x => x.ApiRequestsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("static"));
        });
        return builder;
    }

    /// <summary>
    /// Refuses a state-changing request authenticated by the session cookie unless it carries <see cref="CsrfHeader"/>
    /// (the pages send it; another site's form or image cannot), on top of the cookie's SameSite=Strict.
    /// </summary>
    public static WebApplication UseMetaiCsrfCheck(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            bool unsafeMethod = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method));
            if (unsafeMethod && context.User.FindFirstValue(ApiKeyAuthenticationHandler.MethodClaim) == "session" && !context.Request.Headers.ContainsKey(CsrfHeader))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = 403,
                    Title = "Cross-site request refused",
                    Detail = $"A request made with a session cookie must carry the {CsrfHeader} header (the web pages send it).",
                }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        return app;
    }

    private static int Limit(HttpContext c, Func<ServiceOptions, int> pick) =>
        Math.Max(1, pick(c.RequestServices.GetRequiredService<IOptions<ServiceOptions>>().Value));
}
