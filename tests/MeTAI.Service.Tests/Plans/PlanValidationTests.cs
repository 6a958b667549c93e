using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MeTAI.Service.Tests.Plans;

public class PlanValidationTests : IClassFixture<SharedService>
{
    private readonly HttpClient _client;

    public PlanValidationTests(SharedService shared) => _client = shared.Service.KeyedClient();

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
