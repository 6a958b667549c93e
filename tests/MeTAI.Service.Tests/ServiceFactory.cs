using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeTAI.Service.Tests;

/// <summary>
/// Hosts the service in-process on its own temporary data directory with one API key (or none), and optional extra
/// settings. Two factories on the same directory, one after the other, are a restart.
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    /// <summary>The API key the factory configures.</summary>
    public const string Key = "test-key-0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;

    public ServiceFactory(string? dataDirectory, bool withKey = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        DataDirectory = dataDirectory ?? NewDataDirectory();
        _settings = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Service:DataDirectory"] = DataDirectory };
        if (withKey)
        {
            _settings["Service:ApiKeys:0"] = Key;
            // The shared key's user reaches plans, uploads and the controller, as the tests before users did.
            _settings["Service:ApiKeysRole"] = "physicist";
        }

        foreach ((string k, string? v) in settings ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }
    }

    public string DataDirectory { get; }

    public static string NewDataDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-service-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach ((string k, string? v) in _settings)
        {
            builder.UseSetting(k, v);
        }
    }

    /// <summary>Creates user <paramref name="name"/> with <paramref name="role"/> (if new) and a client sending a personal token.</summary>
    public HttpClient UserClient(string name, MeTAI.Service.Users.Role role, bool bearer = true)
    {
        MeTAI.Service.Users.UserStore users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MeTAI.Service.Users.UserStore>(Services);
        if (users.Get(name) is null)
        {
            users.Add(name, role);
        }

        (string token, _) = users.IssueToken(name, 1);
        HttpClient c = CreateClient();
        if (bearer)
        {
            c.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        else
        {
            c.DefaultRequestHeaders.Add("X-Api-Key", token);
        }

        return c;
    }

    /// <summary>A client that sends the API key.</summary>
    public HttpClient KeyedClient()
    {
        HttpClient c = CreateClient();
        c.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return c;
    }
}

/// <summary>A class fixture: one keyed service for a test class.</summary>
public sealed class SharedService : IDisposable
{
    public ServiceFactory Service { get; } = new(null);

    public void Dispose() => Service.Dispose();
}

/// <summary>Helpers for plan jobs over HTTP.</summary>
public static class PlanClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A quick plan: tg119-cshape at 10 mm, 3 beams, 300 histories per beamlet and 200 000 for the final dose — the
    /// whole planner pipeline in seconds, coarse and noisy (the planner's defaults take a minute or more on two cores).
    /// </summary>
    public static object QuickPlan(string @case = "tg119-cshape", int beams = 3, long histories = 200_000, long beamletHistories = 300, double voxelMm = 10) =>
        new { @case, protocol = "tg119-cshape", beams, histories, beamletHistories, voxelMm };

    public static async Task<string> SubmitAsync(HttpClient client, object body)
    {
        HttpResponseMessage r = await client.PostAsJsonAsync("/api/plans", body);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == System.Net.HttpStatusCode.Accepted, $"POST /api/plans: {(int)r.StatusCode} {text}");
        using JsonDocument doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls until the plan leaves queued/running; returns the last status document (and every progress seen).</summary>
    public static async Task<(JsonElement Plan, List<double> Progress)> WaitAsync(HttpClient client, string id, TimeSpan timeout)
    {
        var seen = new List<double>();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            JsonElement plan = await client.GetFromJsonAsync<JsonElement>($"/api/plans/{id}");
            seen.Add(plan.GetProperty("progress").GetDouble());
            string status = plan.GetProperty("status").GetString()!;
            if (status is not ("queued" or "running"))
            {
                return (plan, seen);
            }

            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"Plan {id} still {status} after {timeout}: {plan}");
            }

            await Task.Delay(200);
        }
    }
}
