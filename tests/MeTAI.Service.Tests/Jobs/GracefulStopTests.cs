using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Service.Jobs;
using Xunit.Abstractions;

namespace MeTAI.Service.Tests.Jobs;

/// <summary>
/// SIGTERM to the service process (a real signal, as systemd or docker send it) with a plan running, one queued and an event stream open: nothing is failed by the
/// stop (the running plan is queued again, the queued one stays queued), the event stream ends cleanly instead of
/// holding the shutdown to the host's timeout, and the next start runs the interrupted plan again.
/// </summary>
public class GracefulStopTests(ITestOutputHelper output)
{
    private const string Key = "graceful-stop-key-0123456789";

    [Fact]
    public async Task Sigterm_WithRunningAndQueuedPlansAndEventStream_FailsNothing_AndTheRunningPlanRestarts()
    {
        string data = ServiceFactory.NewDataDirectory();
        string running, queued;
        using (ServiceProcess service = await ServiceProcess.StartAsync(data, $"--Service:ApiKeys:0={Key}"))
        {
            HttpClient c = service.Client(Key);
            // Long enough to be caught running: 20 000 histories per beamlet at 10 mm.
            running = await PlanClient.SubmitAsync(c, PlanClient.QuickPlan(beams: 5, beamletHistories: 20_000, histories: 50_000_000));
            queued = await PlanClient.SubmitAsync(c, PlanClient.QuickPlan(beams: 2));
            await WaitForStatusAsync(c, running, "running");

            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/controller/events");
            using HttpResponseMessage events = await c.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Stream stream = await events.Content.ReadAsStreamAsync();
            var buffer = new byte[4096];
            Assert.True(await stream.ReadAsync(buffer) > 0); // the status event: the stream is open

            var sw = Stopwatch.StartNew();
            int exit = await service.TerminateAsync(TimeSpan.FromMinutes(1));
            output.WriteLine($"SIGTERM → exit {exit} in {sw.Elapsed.TotalSeconds:F2} s");

            // The stream was ended by the server (a clean end of the response), not cut off at the host's timeout.
            int tail;
            while ((tail = await stream.ReadAsync(buffer)) > 0)
            {
            }

            Assert.Equal(0, tail);
            Assert.Equal(0, exit);
            Assert.DoesNotContain("timed out", service.Output, StringComparison.OrdinalIgnoreCase);
        }

        var store = new JobStore(Path.Combine(data, "jobs.db"));
        JobRecord r = store.GetJob(running)!, q = store.GetJob(queued)!;
        Assert.Equal(JobStatus.Queued, r.Status);
        Assert.Null(r.Error);
        Assert.Null(r.StartedUtc);
        Assert.Equal(JobStatus.Queued, q.Status);
        Assert.Null(q.Error);

        // The next start takes the interrupted plan first (it kept its place) and runs it again.
        using ServiceProcess second = await ServiceProcess.StartAsync(data, $"--Service:ApiKeys:0={Key}");
        HttpClient client = second.Client(Key);
        await WaitForStatusAsync(client, running, "running");
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(data, "jobs"), "*.partial"), d => !d.EndsWith(running + ".partial", StringComparison.Ordinal));
        Assert.Equal("queued", (await client.GetFromJsonAsync<JsonElement>($"/api/plans/{queued}")).GetProperty("status").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await client.PostAsync($"/api/plans/{running}/cancel", null)).StatusCode);
        (JsonElement after, _) = await PlanClient.WaitAsync(client, queued, TimeSpan.FromMinutes(3));
        Assert.Equal("succeeded", after.GetProperty("status").GetString());
    }

    private static async Task WaitForStatusAsync(HttpClient c, string id, string status)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            JsonElement plan = await c.GetFromJsonAsync<JsonElement>($"/api/plans/{id}");
            if (plan.GetProperty("status").GetString() == status)
            {
                return;
            }

            Assert.True(sw.Elapsed < TimeSpan.FromMinutes(2), $"plan {id} never became {status}: {plan}");
            await Task.Delay(100);
        }
    }
}
