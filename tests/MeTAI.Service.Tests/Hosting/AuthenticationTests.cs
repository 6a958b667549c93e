using System.Net;
using System.Text.Json;

namespace MeTAI.Service.Tests.Hosting;

public class AuthenticationTests : IClassFixture<AuthenticationTests.Fixture>
{
    private readonly Fixture _f;

    public AuthenticationTests(Fixture f) => _f = f;

    public sealed class Fixture : IDisposable
    {
        public ServiceFactory Keyed { get; } = new(null);

        public ServiceFactory Keyless { get; } = new(null, withKey: false);

        public void Dispose()
        {
            Keyed.Dispose();
            Keyless.Dispose();
        }
    }

    [Theory]
    [InlineData("/api/plans")]
    [InlineData("/api/protocols")]
    [InlineData("/api/uploads")]
    [InlineData("/api/controller/state")]
    [InlineData("/api/plans/0123/dvh")]
    public async Task Api_WithoutKey_Answers401ProblemDetails(string path)
    {
        HttpResponseMessage r = await _f.Keyed.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Api-Key", r.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        JsonElement problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Api_WithWrongKey_Answers401()
    {
        HttpClient c = _f.Keyed.CreateClient();
        c.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key-0123456789");
        HttpResponseMessage r = await c.GetAsync("/api/plans");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("not hold a valid key", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithKey_Answers200()
    {
        HttpResponseMessage r = await _f.Keyed.KeyedClient().GetAsync("/api/protocols");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        JsonElement list = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(list.EnumerateArray(), p => p.GetProperty("name").GetString() == "tg119-cshape");
    }

    [Fact]
    public async Task Health_WithoutKey_Answers200()
    {
        HttpResponseMessage r = await _f.Keyed.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("Healthy", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebInterface_WithoutKey_IsServed()
    {
        HttpResponseMessage r = await _f.Keyed.CreateClient().GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        HttpResponseMessage lib = await _f.Keyed.CreateClient().GetAsync("/lib/chart.umd.min.js");
        Assert.Equal(HttpStatusCode.OK, lib.StatusCode);
    }

    [Fact]
    public async Task NoKeysConfigured_AKeyIsRefused_AndPersonalTokensStillWork()
    {
        HttpClient c = _f.Keyless.CreateClient();
        c.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.Key);
        HttpResponseMessage r = await c.GetAsync("/api/plans");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("not valid", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _f.Keyless.UserClient("dana", MeTAI.Service.Users.Role.Dosimetrist).GetAsync("/api/plans")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _f.Keyless.CreateClient().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public void ApiKeys_ShortKey_IsRefused()
    {
        var options = new MeTAI.Service.Hosting.ServiceOptions();
        options.ApiKeys.Add("short");
        Assert.Throws<ArgumentException>(() => new MeTAI.Service.Hosting.ApiKeys(options, null));
    }

    [Fact]
    public void ApiKeys_FromEnvironmentAndFile_AreAccepted()
    {
        string file = Path.Combine(ServiceFactory.NewDataDirectory(), "keys.txt");
        File.WriteAllLines(file, ["# service keys", "file-key-0123456789abcdef", ""]);
        var options = new MeTAI.Service.Hosting.ServiceOptions { ApiKeysFile = file };
        var keys = new MeTAI.Service.Hosting.ApiKeys(options, "env-key-0123456789abcdef, other-key-0123456789abc");
        Assert.Equal(3, keys.Count);
        Assert.True(keys.IsValid("file-key-0123456789abcdef"));
        Assert.True(keys.IsValid("other-key-0123456789abc"));
        Assert.False(keys.IsValid("file-key-0123456789abcdeX"));
        Assert.False(keys.IsValid(null));
    }
}
