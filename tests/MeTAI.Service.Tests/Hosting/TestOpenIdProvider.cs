using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace MeTAI.Service.Tests.Hosting;

/// <summary>
/// A small OpenID Connect provider for the tests, on a loopback Kestrel port: the discovery document, a JWKS with one
/// RSA key, an authorize endpoint that approves <see cref="User"/> at once (no login page) and redirects back with a
/// one-time code, and a token endpoint that checks the code, the redirect URI, the client secret and the PKCE
/// verifier (S256, required) and answers an RS256-signed id token. What it refused and whether PKCE was verified are
/// kept for the tests.
/// </summary>
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "metai-test";
    public const string ClientSecret = "test-secret-0123456789";
    private const string KeyId = "test-key-1";

    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private TestOpenIdProvider(WebApplication app, string issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>The issuer (and authority) URL.</summary>
    public string Issuer { get; }

    /// <summary>Who the authorize endpoint signs in next: subject, preferred_username and the roles claim's values.</summary>
    public (string Subject, string Name, string[] Roles) User { get; set; } = ("sub-1", "olivia", ["radonc-physics"]);

    /// <summary>Code exchanges whose PKCE verifier matched the challenge.</summary>
    public int PkceVerified { get; private set; }

    /// <summary>Why requests were refused (empty when none was).</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    private sealed record Grant(string RedirectUri, string Nonce, string Challenge, (string Subject, string Name, string[] Roles) User);

    public static async Task<TestOpenIdProvider> StartAsync()
    {
        int port = FreePort();
        string issuer = $"http://127.0.0.1:{port}";
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(issuer);
        WebApplication app = builder.Build();
        var provider = new TestOpenIdProvider(app, issuer);
        string discovery = $$"""
            {"issuer":"{{issuer}}","authorization_endpoint":"{{issuer}}/authorize","token_endpoint":"{{issuer}}/token","jwks_uri":"{{issuer}}/jwks",
             "response_types_supported":["code"],"response_modes_supported":["query"],"subject_types_supported":["public"],
             "id_token_signing_alg_values_supported":["RS256"],"code_challenge_methods_supported":["S256"],"scopes_supported":["openid","profile"],
             "token_endpoint_auth_methods_supported":["client_secret_post","client_secret_basic"]}
            """;
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(discovery, "application/json"));
        app.MapGet("/jwks", () =>
        {
            RSAParameters p = provider._key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64Url(p.Modulus!), e = Base64Url(p.Exponent!) } } });
        });
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", provider.TokenAsync);
        await app.StartAsync();
        return provider;
    }

    private IResult Authorize(HttpRequest request)
    {
        IQueryCollection q = request.Query;
        string? problem = q["client_id"] != ClientId ? "unknown client_id"
            : q["response_type"] != "code" ? "response_type must be code"
            : string.IsNullOrEmpty(q["code_challenge"]) || q["code_challenge_method"] != "S256" ? "PKCE (S256) is required"
            : string.IsNullOrEmpty(q["redirect_uri"]) || string.IsNullOrEmpty(q["nonce"]) ? "redirect_uri and nonce are required"
            : !q["scope"].ToString().Split(' ').Contains("openid") ? "scope must include openid"
            : null;
        if (problem is not null)
        {
            Refusals.Enqueue("authorize: " + problem);
            return Results.BadRequest(problem);
        }

        string code = Base64Url(RandomNumberGenerator.GetBytes(24));
        _codes[code] = new Grant(q["redirect_uri"]!, q["nonce"]!, q["code_challenge"]!, User);
        var back = new StringBuilder(q["redirect_uri"]!);
        back.Append(q["redirect_uri"].ToString().Contains('?', StringComparison.Ordinal) ? '&' : '?');
        back.Append("code=").Append(Uri.EscapeDataString(code)).Append("&state=").Append(Uri.EscapeDataString(q["state"].ToString()));
        return Results.Redirect(back.ToString());
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        IFormCollection f = await request.ReadFormAsync();
        (string? id, string? secret) = (f["client_id"].ToString(), f["client_secret"].ToString());
        if (request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Basic ", StringComparison.Ordinal))
        {
            string[] pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..])).Split(':', 2);
            (id, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }

        string code = f["code"].ToString();
        string? problem = f["grant_type"] != "authorization_code" ? "grant_type must be authorization_code"
            : id != ClientId || secret != ClientSecret ? "client authentication failed"
            : null;
        Grant? grant = null;
        if (problem is null && !_codes.TryRemove(code, out grant))
        {
            problem = "unknown or used code";
        }

        if (problem is null && grant!.RedirectUri != f["redirect_uri"])
        {
            problem = "redirect_uri differs from the authorize request's";
        }

        if (problem is null && Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(f["code_verifier"].ToString()))) != grant!.Challenge)
        {
            problem = "code_verifier does not match the code_challenge";
        }

        if (problem is not null)
        {
            Refusals.Enqueue("token: " + problem);
            return Results.Json(new { error = "invalid_grant", error_description = problem }, statusCode: 400);
        }

        PkceVerified++;
        return Results.Json(new { access_token = Base64Url(RandomNumberGenerator.GetBytes(24)), token_type = "Bearer", expires_in = 300, id_token = IdToken(grant!) });
    }

    private string IdToken(Grant g)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", kid = KeyId, typ = "JWT" }));
        string payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = g.User.Subject,
            ["aud"] = ClientId,
            ["iat"] = now,
            ["exp"] = now + 300,
            ["nonce"] = g.Nonce,
            ["preferred_username"] = g.User.Name,
            ["roles"] = g.User.Roles,
        }));
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
