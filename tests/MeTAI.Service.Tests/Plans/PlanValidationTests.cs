using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Service.Jobs;
using MeTAI.Service.Plans;
using Microsoft.Extensions.DependencyInjection;

namespace MeTAI.Service.Tests.Plans;

public class PlanValidationTests : IClassFixture<SharedService>
{
    private readonly HttpClient _client;
    private readonly SharedService _shared;

    public PlanValidationTests(SharedService shared)
    {
        _shared = shared;
        _client = shared.Service.KeyedClient();
    }

    [Theory]
    [InlineData("{\"case\":\"tg119-cshape\",\"beams\":\"5\"}", "beams")]
    [InlineData("{\"case\":\"tg119-cshape\",\"histories\":\"100000\"}", "histories")]
    [InlineData("{\"case\":\"tg119-cshape\",\"voxelMm\":\"NaN\"}", "voxelMm")]
    public async Task NumberSentAsString_Answers400(string json, string field)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        HttpResponseMessage r = await _client.PostAsync("/api/plans", content);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{(int)r.StatusCode} {text}");
        Assert.Contains(field, text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("rtdose", "/files/rtdose", "rtdose.dcm")]
    [InlineData("ct", "/files/ct", "ct/")]
    [InlineData("report", "/files/report", "report.json")]
    [InlineData("dvh", "/dvh", "dvh.json")]
    [InlineData("slices", "/slices", "ct/")]
    [InlineData("slice", "/slices/0", "ct/")]
    public async Task SucceededPlan_WithAFileMissing_Answers404NamingIt(string name, string path, string file)
    {
        // A succeeded plan whose folder is empty (files removed by hand): every reader answers 404, none 500.
        PlanJobs jobs = _shared.Service.Services.GetRequiredService<PlanJobs>();
        string id = "feed" + name.PadLeft(28, '0');
        var request = new PlanJobRequest { Case = "tg119-cshape", CaseName = "tg119-cshape", Protocol = "tg119-cshape", ProtocolPath = "none.json" };
        jobs.Store.AddJob(id, JsonSerializer.Serialize(request, PlanJobs.Json), DateTime.UtcNow);
        Assert.True(jobs.Store.TryStart(id, "test", DateTime.UtcNow));
        jobs.Store.Succeed(id, JsonSerializer.Serialize(new PlanOutcome { Files = [], Goals = [] }, PlanJobs.Json), DateTime.UtcNow);
        Directory.CreateDirectory(jobs.Paths.JobOutput(id));

        HttpResponseMessage r = await _client.GetAsync($"/api/plans/{id}{path}");
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.NotFound, $"{(int)r.StatusCode} {text}");
        Assert.Contains($"has no {file}", text, StringComparison.Ordinal);
    }

    private async Task<JsonElement> BadRequestAsync(object body)
    {
        HttpResponseMessage r = await _client.PostAsJsonAsync("/api/plans", body);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{(int)r.StatusCode} {text}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task UnknownProtocol_Answers400_ListingTheProtocols()
    {
        JsonElement p = await BadRequestAsync(new { @case = "tg119-cshape", protocol = "head-and-neck" });
        string message = p.GetProperty("errors").GetProperty("protocol")[0].GetString()!;
        Assert.Contains("Unknown protocol 'head-and-neck'", message, StringComparison.Ordinal);
        Assert.Contains("prostate", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtocolNamingMissingStructures_Answers400()
    {
        JsonElement p = await BadRequestAsync(new { @case = "tg119-cshape", protocol = "prostate" });
        string message = p.GetProperty("errors").GetProperty("protocol")[0].GetString()!;
        Assert.Contains("'Rectum'", message, StringComparison.Ordinal);
        Assert.Contains("Structures:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCase_Answers400()
    {
        JsonElement p = await BadRequestAsync(new { @case = "elephant", protocol = "prostate" });
        string message = p.GetProperty("errors").GetProperty("case")[0].GetString()!;
        Assert.Contains("Unknown case 'elephant'", message, StringComparison.Ordinal);
        Assert.Contains("tg119-cshape", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaseAndUpload_Answers400()
    {
        JsonElement p = await BadRequestAsync(new { @case = "prostate", uploadId = "abc" });
        Assert.True(p.GetProperty("errors").TryGetProperty("case", out _));
        JsonElement none = await BadRequestAsync(new { protocol = "prostate" });
        Assert.True(none.GetProperty("errors").TryGetProperty("case", out _));
    }

    [Fact]
    public async Task UnknownUpload_Answers400()
    {
        JsonElement p = await BadRequestAsync(new { uploadId = "0123456789abcdef", protocol = "prostate" });
        Assert.True(p.GetProperty("errors").TryGetProperty("uploadId", out _));
    }

    [Fact]
    public async Task OutOfRangeSettings_Answer400_ForEachField()
    {
        JsonElement p = await BadRequestAsync(new { @case = "prostate", beams = 0, voxelMm = 0.5, histories = 5, beamletHistories = 10 });
        JsonElement errors = p.GetProperty("errors");
        Assert.True(errors.TryGetProperty("beams", out _));
        Assert.True(errors.TryGetProperty("voxelMm", out _));
        Assert.True(errors.TryGetProperty("histories", out _));
        Assert.True(errors.TryGetProperty("beamletHistories", out _));
    }

    [Fact]
    public async Task MalformedJson_Answers400()
    {
        using var content = new StringContent("{\"case\": ", System.Text.Encoding.UTF8, "application/json");
        HttpResponseMessage r = await _client.PostAsync("/api/plans", content);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public async Task UnknownPlan_Answers404Problem()
    {
        HttpResponseMessage r = await _client.GetAsync("/api/plans/does-not-exist");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/plans/does-not-exist/dvh")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/api/plans/does-not-exist/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task Protocols_ListTheShippedProtocols_WithTheStructuresACaseNeeds()
    {
        JsonElement protocols = await _client.GetFromJsonAsync<JsonElement>("/api/protocols");
        JsonElement prostate = protocols.EnumerateArray().First(p => p.GetProperty("name").GetString() == "prostate");
        Assert.Equal("PTV", prostate.GetProperty("prescription").GetProperty("target").GetString());
        Assert.Equal(75.6, prostate.GetProperty("prescription").GetProperty("doseGy").GetDouble(), 9);
        Assert.Equal(7, prostate.GetProperty("beams").GetInt32());
        string[] structures = [.. prostate.GetProperty("structures").EnumerateArray().Select(s => s.GetString()!)];
        Assert.Contains("Rectum", structures);
        Assert.DoesNotContain("Ring", structures); // the protocol builds its ring itself
        JsonElement goal = prostate.GetProperty("goals")[0];
        Assert.Equal("D95", goal.GetProperty("metric").GetString());
        Assert.Equal("%", goal.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task Cases_ListThePhantomsWithTheirProtocols()
    {
        JsonElement cases = await _client.GetFromJsonAsync<JsonElement>("/api/cases");
        JsonElement prostate = cases.EnumerateArray().First(c => c.GetProperty("name").GetString() == "prostate");
        Assert.Equal("prostate", prostate.GetProperty("protocol").GetString());
    }
}
