using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MeTAI.Service.Hosting;
using MeTAI.Service.Users;
using Microsoft.Extensions.DependencyInjection;

namespace MeTAI.Service.Tests.Hosting;

/// <summary>Security headers and CSP, HTTPS with a configured certificate and HSTS, rate limits and per-user quotas.</summary>
public class TransportTests : IClassFixture<SharedService>
{
    private readonly ServiceFactory _service;

    public TransportTests(SharedService shared) => _service = shared.Service;

    [Theory]
    [InlineData("/")]
    [InlineData("/api/plans")]
    public async Task EveryResponse_HasTheSecurityHeaders_AndApiAnswersAreNotCached(string path)
    {
        HttpResponseMessage r = await _service.KeyedClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(TransportSecurity.ContentSecurityPolicy, r.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", TransportSecurity.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", r.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(path.StartsWith("/api", StringComparison.Ordinal), r.Headers.CacheControl?.NoStore == true);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080", true)]
    [InlineData("http://*:5080", true)]
    [InlineData("http://10.1.2.3:80", true)]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://[::1]:5080", false)]
    [InlineData("https://0.0.0.0:5443", false)]
    public void PlainHttpBeyondLoopback_IsFlagged(string url, bool flagged) =>
        Assert.Equal(flagged, TransportSecurity.PlainBeyondLoopback("http://127.0.0.1:1;" + url).Count == 1);

    [Fact]
    public async Task Https_WithAConfiguredCertificate_SendsHsts()
    {
        string dir = ServiceFactory.NewDataDirectory();
        string cert = Path.Combine(dir, "cert.pem"), key = Path.Combine(dir, "key.pem");
        using (Process openssl = Process.Start("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"])!)
        {
            await openssl.WaitForExitAsync();
            Assert.Equal(0, openssl.ExitCode);
        }

        using ServiceProcess service = await ServiceProcess.StartAsync(Path.Combine(dir, "data"), "--urls=https://127.0.0.1:0",
            $"--Kestrel:Certificates:Default:Path={cert}", $"--Kestrel:Certificates:Default:KeyPath={key}");
        Assert.Equal("https", service.BaseAddress.Scheme);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c?.Subject == "CN=127.0.0.1" };
        using var client = new HttpClient(handler) { BaseAddress = service.BaseAddress };
        HttpResponseMessage r = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", r.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task SignIn_IsRateLimited_PerClient()
    {
        using var limited = new ServiceFactory(null, settings: new Dictionary<string, string?> { ["Service:SignInPerMinute"] = "3" });
        HttpClient c = limited.CreateClient();
        var codes = new List<HttpStatusCode>();
        for (int n = 0; n < 5; n++)
        {
            codes.Add((await c.PostAsJsonAsync("/api/session", new { name = "admin", password = "guessing-" + n })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);
    }

    [Fact]
    public async Task Api_IsRateLimited_PerUser()
    {
        using var limited = new ServiceFactory(null, settings: new Dictionary<string, string?> { ["Service:ApiRequestsPerMinute"] = "5" });
        HttpClient a = limited.UserClient("busy", Role.Dosimetrist), b = limited.UserClient("calm", Role.Dosimetrist);
        var codes = new List<HttpStatusCode>();
        for (int n = 0; n < 7; n++)
        {
            codes.Add((await a.GetAsync("/api/protocols")).StatusCode);
        }

        Assert.Equal(5, codes.Count(x => x == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/protocols")).StatusCode); // another user has their own budget
    }

    [Fact]
    public async Task Plans_PerUserQuota_OnQueuedAndRunning()
    {
        using var limited = new ServiceFactory(null, settings: new Dictionary<string, string?> { ["Service:MaxActivePlansPerUser"] = "1" });
        HttpClient a = limited.UserClient("quota-a", Role.Dosimetrist), b = limited.UserClient("quota-b", Role.Dosimetrist);
        string first = await PlanClient.SubmitAsync(a, PlanClient.QuickPlan(beams: 9, histories: 500_000_000));
        HttpResponseMessage second = await a.PostAsJsonAsync("/api/plans", PlanClient.QuickPlan());
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("Service:MaxActivePlansPerUser", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        string other = await PlanClient.SubmitAsync(b, PlanClient.QuickPlan()); // b's own quota
        await a.PostAsync($"/api/plans/{first}/cancel", null);
        await b.PostAsync($"/api/plans/{other}/cancel", null);
        await PlanClient.WaitAsync(a, first, TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Accepted, (await a.PostAsJsonAsync("/api/plans", PlanClient.QuickPlan())).StatusCode);
    }
}
