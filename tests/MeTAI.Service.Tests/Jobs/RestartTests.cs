using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Service.Jobs;

namespace MeTAI.Service.Tests.Jobs;

/// <summary>Stop the service and start another on the same data directory: nothing is silently lost.</summary>
public class RestartTests
{
    private const string Interrupted = "00000000000000000000000000000001";
    private const string Waiting = "00000000000000000000000000000002";

    [Fact]
    public async Task Restart_KeepsFinishedResults_FailsInterruptedJobs_RunsQueuedJobs()
    {
        string data = ServiceFactory.NewDataDirectory();
        string finished;
        JsonElement before;
        using (var first = new ServiceFactory(data))
        {
            HttpClient c = first.KeyedClient();
            finished = await PlanClient.SubmitAsync(c, PlanClient.QuickPlan(beams: 2));
            (before, _) = await PlanClient.WaitAsync(c, finished, TimeSpan.FromMinutes(2));
            Assert.Equal("succeeded", before.GetProperty("status").GetString());
        }

        // What a crash leaves: a job still marked running (with half-written files) and one that never started.
        var store = new JobStore(Path.Combine(data, "jobs.db"));
        string request = store.GetJob(finished)!.RequestJson;
        store.AddJob(Interrupted, request, DateTime.UtcNow);
        Assert.True(store.TryStart(Interrupted, "planner", DateTime.UtcNow));
        string partial = Path.Combine(data, "jobs", Interrupted + ".partial");
        Directory.CreateDirectory(partial);
        File.WriteAllText(Path.Combine(partial, "rtdose.dcm"), "half");
        store.AddJob(Waiting, request, DateTime.UtcNow);

        using var second = new ServiceFactory(data);
        HttpClient client = second.KeyedClient();

        // Finished results are all there: status, goals, DVH, files.
        JsonElement after = await client.GetFromJsonAsync<JsonElement>($"/api/plans/{finished}");
        Assert.Equal("succeeded", after.GetProperty("status").GetString());
        Assert.Equal(before.GetProperty("goals").ToString(), after.GetProperty("goals").ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/plans/{finished}/dvh")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/plans/{finished}/files/rtdose")).StatusCode);

        // The interrupted job is failed with the reason, and its partial files are gone.
        JsonElement interrupted = await client.GetFromJsonAsync<JsonElement>($"/api/plans/{Interrupted}");
        Assert.Equal("failed", interrupted.GetProperty("status").GetString());
        Assert.Contains("Interrupted", interrupted.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(partial));

        // The queued job runs after the restart.
        (JsonElement queued, _) = await PlanClient.WaitAsync(client, Waiting, TimeSpan.FromMinutes(2));
        Assert.Equal("succeeded", queued.GetProperty("status").GetString());
    }

    [Fact]
    public void Store_FromANewerService_IsRefused()
    {
        string db = Path.Combine(ServiceFactory.NewDataDirectory(), "jobs.db");
        _ = new JobStore(db);
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 99;";
            cmd.ExecuteNonQuery();
        }

        var ex = Assert.Throws<InvalidOperationException>(() => new JobStore(db));
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_UsesWriteAheadLogging()
    {
        string db = Path.Combine(ServiceFactory.NewDataDirectory(), "jobs.db");
        _ = new JobStore(db);
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", cmd.ExecuteScalar() as string);
    }
}
