using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Service.Jobs;
using MeTAI.Service.Plans;
using MeTAI.Service.Users;
using Microsoft.Extensions.DependencyInjection;

namespace MeTAI.Service.Tests.Users;

/// <summary>Every role against every area: who may read plans, download patient data, upload, see the controller, administer.</summary>
public class RoleBoundaryTests : IClassFixture<SharedService>
{
    private readonly ServiceFactory _service;
    private readonly string _plan;

    public RoleBoundaryTests(SharedService shared)
    {
        _service = shared.Service;
        _plan = FinishedPlan(_service);
    }

    /// <summary>A succeeded plan row with an rtdose.dcm (no planning needed to test who may fetch it).</summary>
    internal static string FinishedPlan(ServiceFactory service)
    {
        PlanJobs jobs = service.Services.GetRequiredService<PlanJobs>();
        string id = Guid.NewGuid().ToString("N");
        var request = new PlanJobRequest { Case = "tg119-cshape", CaseName = "tg119-cshape", Protocol = "tg119-cshape", ProtocolPath = "none.json" };
        jobs.Store.AddJob(id, JsonSerializer.Serialize(request, PlanJobs.Json), DateTime.UtcNow);
        Assert.True(jobs.Store.TryStart(id, "test", DateTime.UtcNow));
        jobs.Store.Succeed(id, JsonSerializer.Serialize(new PlanOutcome { Files = [], Goals = [] }, PlanJobs.Json), DateTime.UtcNow);
        Directory.CreateDirectory(jobs.Paths.JobOutput(id));
        File.WriteAllBytes(Path.Combine(jobs.Paths.JobOutput(id), "rtdose.dcm"), [1, 2, 3]);
        return id;
    }

    [Theory]
    [InlineData(Role.Dosimetrist, HttpStatusCode.OK)]
    [InlineData(Role.Physicist, HttpStatusCode.OK)]
    [InlineData(Role.Physician, HttpStatusCode.OK)]
    [InlineData(Role.Surgeon, HttpStatusCode.OK)]
    [InlineData(Role.Engineer, HttpStatusCode.Forbidden)]
    [InlineData(Role.Admin, HttpStatusCode.Forbidden)]
    public async Task DownloadPhi_ByRole(Role role, HttpStatusCode expected)
    {
        HttpClient c = _service.UserClient("dl-" + Permissions.Name(role), role);
        HttpResponseMessage r = await c.GetAsync($"/api/plans/{_plan}/files/rtdose");
        Assert.Equal(expected, r.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            string text = await r.Content.ReadAsStringAsync();
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"({Permissions.Name(role)}) may not do this; it needs phi.read", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Role.Dosimetrist, "/api/plans", HttpStatusCode.OK)]
    [InlineData(Role.Engineer, "/api/plans", HttpStatusCode.Forbidden)]
    [InlineData(Role.Engineer, "/api/controller/state", HttpStatusCode.OK)]
    [InlineData(Role.Dosimetrist, "/api/controller/state", HttpStatusCode.Forbidden)]
    [InlineData(Role.Engineer, "/api/uploads", HttpStatusCode.Forbidden)]
    [InlineData(Role.Physician, "/api/uploads", HttpStatusCode.OK)]
    [InlineData(Role.Admin, "/api/users", HttpStatusCode.OK)]
    [InlineData(Role.Physicist, "/api/users", HttpStatusCode.Forbidden)]
    [InlineData(Role.Admin, "/api/audit", HttpStatusCode.OK)]
    [InlineData(Role.Dosimetrist, "/api/audit", HttpStatusCode.Forbidden)]
    [InlineData(Role.Engineer, "/api/protocols", HttpStatusCode.OK)]
    public async Task Read_ByRole(Role role, string path, HttpStatusCode expected)
    {
        HttpClient c = _service.UserClient("rd-" + Permissions.Name(role), role);
        Assert.Equal(expected, (await c.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData(Role.Surgeon)]
    [InlineData(Role.Physician)]
    [InlineData(Role.Engineer)]
    public async Task SubmitPlan_WithoutPlansWrite_Answers403_AndNoJobIsMade(Role role)
    {
        HttpClient c = _service.UserClient("sub-" + Permissions.Name(role), role);
        int before = _service.Services.GetRequiredService<PlanJobs>().Store.ListJobs().Count;
        HttpResponseMessage r = await c.PostAsJsonAsync("/api/plans", PlanClient.QuickPlan());
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal(before, _service.Services.GetRequiredService<PlanJobs>().Store.ListJobs().Count);
    }

    [Fact]
    public async Task Token_AcceptedAsBearerAndAsXApiKey_RevokedIsRefusedAtOnce()
    {
        UserStore users = _service.Services.GetRequiredService<UserStore>();
        users.Add("rita", Role.Dosimetrist);
        (string token, _) = users.IssueToken("rita", 30);
        HttpClient bearer = _service.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        HttpClient header = _service.CreateClient();
        header.DefaultRequestHeaders.Add("X-Api-Key", token);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/plans")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await header.GetAsync("/api/plans")).StatusCode);
        JsonElement me = await bearer.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal("rita", me.GetProperty("name").GetString());
        Assert.Equal("token", me.GetProperty("method").GetString());

        Assert.Equal(1, users.Revoke("rita")); // what `metai users revoke rita` does, on the same users.db
        HttpResponseMessage refused = await bearer.GetAsync("/api/plans");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("revoked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await header.GetAsync("/api/plans")).StatusCode);
    }

    [Fact]
    public async Task RoleChange_HoldsAtTheNextRequest()
    {
        UserStore users = _service.Services.GetRequiredService<UserStore>();
        HttpClient c = _service.UserClient("ray", Role.Dosimetrist);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/plans")).StatusCode);
        users.SetRole("ray", Role.Engineer);
        Assert.Equal(HttpStatusCode.Forbidden, (await c.GetAsync("/api/plans")).StatusCode);
    }

    [Fact]
    public void Token_Expires()
    {
        UserStore users = _service.Services.GetRequiredService<UserStore>();
        users.Add("eve", Role.Surgeon);
        (string token, TokenRecord record) = users.IssueToken("eve", 1);
        Assert.NotNull(users.FindByToken(token, DateTime.UtcNow));
        Assert.Null(users.FindByToken(token, record.ExpiresUtc.AddSeconds(1)));
        Assert.Null(users.FindByToken(token + "x", DateTime.UtcNow));
    }
}
