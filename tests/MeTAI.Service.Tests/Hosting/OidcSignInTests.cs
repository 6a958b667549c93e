using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MeTAI.Service.Users;
using Microsoft.Extensions.DependencyInjection;

namespace MeTAI.Service.Tests.Hosting;

/// <summary>
/// OpenID Connect sign-in against <see cref="TestOpenIdProvider"/> (authorization code with PKCE, RS256 id token),
/// driven by an HttpClient that follows the redirects with its own cookie jar as a browser would: the first sign-in
/// creates the user with the mapped role, a changed group changes the role, no mapped group or two roles refuse with
/// the reason, a local account is not taken over, local accounts keep signing in; every step audited. Without
/// configuration there is no provider.
/// </summary>
public class OidcSignInTests
{
    [Fact]
    public async Task SignIn_ThroughTheProvider_MapsTheRole_RefusesWhatItCannotMap()
    {
        await using TestOpenIdProvider idp = await TestOpenIdProvider.StartAsync();
        int port = FreePort();
        using var service = new ServiceFactory(null, settings: new Dictionary<string, string?>
        {
            ["Service:Oidc:Authority"] = idp.Issuer,
            ["Service:Oidc:ClientId"] = TestOpenIdProvider.ClientId,
            ["Service:Oidc:ClientSecret"] = TestOpenIdProvider.ClientSecret,
            ["Service:Oidc:RequireHttpsMetadata"] = "false",
            ["Service:Oidc:DisplayName"] = "Test IdP",
            ["Service:Oidc:RoleMap:radonc-physics"] = "physicist",
            ["Service:Oidc:RoleMap:radonc-dosimetry"] = "dosimetrist",
            ["Service:Oidc:RoleMap:radonc-md"] = "physician",
        });
        service.UseKestrel(port);
        service.StartServer();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        UserStore users = service.Services.GetRequiredService<UserStore>();

        using (HttpClient anonymous = Browser(baseAddress))
        {
            JsonElement providers = await anonymous.GetFromJsonAsync<JsonElement>("/api/session/providers");
            Assert.Equal("Test IdP", providers.GetProperty("oidc").GetProperty("name").GetString());
        }

        // First sign-in: the user is made with the mapped role (an unmapped group beside it is ignored).
        idp.User = ("sub-1", "olivia", ["radonc-physics", "cafeteria"]);
        using (HttpClient olivia = Browser(baseAddress))
        {
            HttpResponseMessage landed = await olivia.GetAsync("/api/session/oidc");
            Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
            Assert.Equal("/", landed.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.DoesNotContain("signin-error", landed.RequestMessage.RequestUri.Query, StringComparison.Ordinal);
            JsonElement me = await olivia.GetFromJsonAsync<JsonElement>("/api/session");
            Assert.Equal("olivia", me.GetProperty("name").GetString());
            Assert.Equal("physicist", me.GetProperty("role").GetString());
            Assert.Equal("session", me.GetProperty("method").GetString());
            Assert.Equal(HttpStatusCode.OK, (await olivia.GetAsync("/api/plans")).StatusCode);
            // A session like any other: a state-changing request without the pages' header is refused.
            Assert.Equal(HttpStatusCode.Forbidden, (await olivia.PostAsJsonAsync("/api/plans", new { @case = "prostate" })).StatusCode);
        }

        Assert.Equal(1, idp.PkceVerified);
        Assert.Empty(idp.Refusals);
        Assert.Equal("oidc", users.Get("olivia")!.Source);
        Assert.Equal(idp.Issuer + "|sub-1", users.ExternalId("olivia"));

        // The provider moved her to another group: the next sign-in follows it.
        idp.User = ("sub-1", "olivia", ["radonc-md"]);
        Assert.Equal("physician", (await SignInAsync(baseAddress)).Me?.GetProperty("role").GetString());

        // No mapped group, two roles, a local account's name, a name we cannot hold: refused, saying why; nobody made.
        idp.User = ("sub-2", "nora", ["cafeteria"]);
        Assert.Contains("nora has no role here: none of their identity provider's roles (cafeteria) is mapped", (await SignInAsync(baseAddress)).Error, StringComparison.Ordinal);
        Assert.Null(users.Get("nora"));
        idp.User = ("sub-3", "max", ["radonc-physics", "radonc-dosimetry"]);
        Assert.Contains("max's roles map to several roles (radonc-physics → physicist, radonc-dosimetry → dosimetrist)", (await SignInAsync(baseAddress)).Error, StringComparison.Ordinal);
        users.Add("lena", Role.Dosimetrist);
        users.SetPassword("lena", "lena-long-passphrase");
        idp.User = ("sub-4", "lena", ["radonc-physics"]);
        Assert.Contains("A local account named lena exists", (await SignInAsync(baseAddress)).Error, StringComparison.Ordinal);
        Assert.Equal(Role.Dosimetrist, users.Get("lena")!.Role);
        idp.User = ("sub-5", "no spaces allowed", ["radonc-physics"]);
        Assert.Contains("cannot be a user name here", (await SignInAsync(baseAddress)).Error, StringComparison.Ordinal);

        // Local accounts keep working beside the provider.
        using (HttpClient lena = Browser(baseAddress))
        {
            HttpResponseMessage r = await lena.PostAsJsonAsync("/api/session", new { name = "lena", password = "lena-long-passphrase" });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        // Audited: the user made by the provider's sign-in, the role change, the sign-ins and the refusals.
        string[] log = await File.ReadAllLinesAsync(Path.Combine(service.DataDirectory, "audit.log"));
        Assert.Contains(log, l => l.Contains("\"kind\":\"userAdded\"", StringComparison.Ordinal) && l.Contains("\"account\":\"olivia\",\"accountRole\":\"physicist\",\"provider\":\"Test IdP\"", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("\"kind\":\"roleChanged\"", StringComparison.Ordinal) && l.Contains("\"accountRole\":\"physician\"", StringComparison.Ordinal));
        Assert.Equal(2, log.Count(l => l.Contains("\"kind\":\"signIn\",\"user\":\"olivia\"", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.Contains("\"kind\":\"signInFailed\"", StringComparison.Ordinal) && l.Contains("\"account\":\"nora\"", StringComparison.Ordinal));
        Assert.Equal(6, idp.PkceVerified);
    }

    [Fact]
    public async Task WithoutConfiguration_ThereIsNoProvider()
    {
        using var service = new ServiceFactory(null);
        HttpClient c = service.CreateClient();
        JsonElement providers = await c.GetFromJsonAsync<JsonElement>("/api/session/providers");
        Assert.Equal(JsonValueKind.Null, providers.GetProperty("oidc").ValueKind);
        HttpResponseMessage start = await c.GetAsync("/api/session/oidc");
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        Assert.Contains("not configured", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A client with its own cookie jar that follows redirects (to the provider and back), as a browser does.</summary>
    private static HttpClient Browser(Uri baseAddress) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true, MaxAutomaticRedirections = 10 }) { BaseAddress = baseAddress };

    /// <summary>One sign-in through the provider in a fresh browser: who it signed in, or the refusal the pages are sent back with.</summary>
    private static async Task<(JsonElement? Me, string? Error)> SignInAsync(Uri baseAddress)
    {
        using HttpClient browser = Browser(baseAddress);
        HttpResponseMessage landed = await browser.GetAsync("/api/session/oidc");
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        string query = landed.RequestMessage!.RequestUri!.Query;
        if (query.Contains("signin-error=", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/session")).StatusCode);
            return (null, Uri.UnescapeDataString(query[(query.IndexOf("signin-error=", StringComparison.Ordinal) + "signin-error=".Length)..]));
        }

        return (await browser.GetFromJsonAsync<JsonElement>("/api/session"), null);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
