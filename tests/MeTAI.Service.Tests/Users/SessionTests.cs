using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Service.Users;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MeTAI.Service.Tests.Users;

/// <summary>Web sign-in: one-time password, session cookie, the cross-site check, sign-out and revocation.</summary>
public class SessionTests : IClassFixture<SharedService>
{
    private readonly ServiceFactory _service;

    public SessionTests(SharedService shared) => _service = shared.Service;

    private HttpClient Browser() => _service.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    [Fact]
    public async Task SignIn_OneTimePasswordMustBeChanged_ThenTheCookieCarriesTheRole()
    {
        UserStore users = _service.Services.GetRequiredService<UserStore>();
        string oneTime = users.Add("pat", Role.Physician);
        HttpClient c = Browser();

        HttpResponseMessage wrong = await c.PostAsJsonAsync("/api/session", new { name = "pat", password = "wrong-password-123" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        HttpResponseMessage unknown = await c.PostAsJsonAsync("/api/session", new { name = "nobody", password = "wrong-password-123" });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        static string Detail(string json) => JsonDocument.Parse(json).RootElement.GetProperty("detail").GetString()!;
        Assert.Equal(Detail(await wrong.Content.ReadAsStringAsync()), Detail(await unknown.Content.ReadAsStringAsync())); // says nothing about which

        HttpResponseMessage change = await c.PostAsJsonAsync("/api/session", new { name = "pat", password = oneTime });
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.True(JsonDocument.Parse(await change.Content.ReadAsStringAsync()).RootElement.GetProperty("mustChangePassword").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await c.PostAsJsonAsync("/api/session", new { name = "pat", password = oneTime, newPassword = "short" })).StatusCode);

        HttpResponseMessage ok = await c.PostAsJsonAsync("/api/session", new { name = "pat", password = oneTime, newPassword = "a-long-new-passphrase" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        string cookie = string.Join(";", ok.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        JsonElement me = await c.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal("physician", me.GetProperty("role").GetString());
        Assert.Equal("session", me.GetProperty("method").GetString());
        Assert.Contains(me.GetProperty("permissions").EnumerateArray(), p => p.GetString() == Permissions.PlansApprove);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/plans")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser().PostAsJsonAsync("/api/session", new { name = "pat", password = oneTime })).StatusCode); // one-time means once

        // Sign-out ends it.
        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/session");
        signOut.Headers.Add("X-MeTAI-Request", "1");
        Assert.Equal(HttpStatusCode.NoContent, (await c.SendAsync(signOut)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/plans")).StatusCode);
    }

    [Fact]
    public async Task Session_StateChangeWithoutThePagesHeader_IsRefused_AndRevocationEndsIt()
    {
        UserStore users = _service.Services.GetRequiredService<UserStore>();
        users.Add("dee", Role.Dosimetrist);
        users.SetPassword("dee", "dee-long-passphrase");
        HttpClient c = Browser();
        Assert.Equal(HttpStatusCode.OK, (await c.PostAsJsonAsync("/api/session", new { name = "dee", password = "dee-long-passphrase" })).StatusCode);

        HttpResponseMessage forged = await c.PostAsJsonAsync("/api/plans", PlanClient.QuickPlan());
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("Cross-site request refused", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var real = new HttpRequestMessage(HttpMethod.Post, "/api/plans") { Content = JsonContent.Create(new { @case = "nope" }) };
        real.Headers.Add("X-MeTAI-Request", "1");
        Assert.Equal(HttpStatusCode.BadRequest, (await c.SendAsync(real)).StatusCode); // past the check, to validation

        users.Revoke("dee");
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/plans")).StatusCode);
    }

    [Fact]
    public void PasswordHashing_IsSaltedPbkdf2_AndVerifies()
    {
        string a = PasswordHashing.Hash("correct horse battery"), b = PasswordHashing.Hash("correct horse battery");
        Assert.NotEqual(a, b);
        Assert.StartsWith($"pbkdf2-sha256${PasswordHashing.Iterations}$", a, StringComparison.Ordinal);
        Assert.True(PasswordHashing.Verify("correct horse battery", a));
        Assert.False(PasswordHashing.Verify("correct horse batterY", a));
        Assert.False(PasswordHashing.Verify("x", "md5$abc"));
    }
}
