using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Safety;
using MeTAI.Service.Audit;
using MeTAI.Service.Controller;
using MeTAI.Service.Hosting;
using MeTAI.Service.Training;
using MeTAI.Service.Users;
using MeTAI.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeTAI.Service.Tests.Training;

/// <summary>
/// Training mode against the simulated rig (real controller, pty servo twin, embedded broker): a surgeon's attempt
/// while nobody moves the arm is sampled, scored as not reached with a path of about nothing, kept in the user's file,
/// listed and exported as CSV; one attempt at a time (409 naming who runs it); unknown tasks 400; other roles 403; no
/// simulated arm 503; the task's time limit finishes an attempt. No timing assertions: waits are for the rig and for samples.
/// </summary>
public class TrainingApiTests : IClassFixture<TrainingApiTests.Fixture>
{
    private const string CsvHeader = "utc,user,task,attempt,reached,timeS,pathLengthMm,minClearanceMm,peakForceN,corridorViolations,dimensionlessJerk,score";

    private readonly Fixture _f;

    public TrainingApiTests(Fixture f) => _f = f;

    public sealed class Fixture : IDisposable
    {
        public ServiceFactory Sim { get; } = new(null, settings: new Dictionary<string, string?> { ["Controller:Mode"] = "sim" });

        /// <summary>The simulated arm at rest in Ready (the service brings it up after start; homing moves it).</summary>
        public async Task<SimulatedRig> ReadyRigAsync()
        {
            ControllerMonitor monitor = Sim.Services.GetRequiredService<ControllerMonitor>();
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < TimeSpan.FromSeconds(120))
            {
                if (monitor.Rig is { } rig && rig.Controller.State == SafetyState.Ready)
                {
                    return rig;
                }

                await Task.Delay(100);
            }

            SimulatedRig? last = monitor.Rig;
            throw new TimeoutException($"The simulated arm did not reach Ready: {last?.Controller.State} ({last?.Controller.Core.LastInterlocks}). {last?.AuditTail()}");
        }

        public void Dispose() => Sim.Dispose();
    }

    [Fact]
    public async Task Attempt_NobodyMoves_NotReached_PathAboutZero_StoredListedAndExported()
    {
        SimulatedRig rig = await _f.ReadyRigAsync();
        HttpClient sam = _f.Sim.UserClient("sam", Role.Surgeon);
        JsonElement tasks = await sam.GetFromJsonAsync<JsonElement>("/api/training/tasks");
        Assert.Contains(tasks.EnumerateArray(), t => t.GetProperty("id").GetString() == "reach-target");

        var sw = Stopwatch.StartNew();
        JsonElement started = await StartAsync(sam, "reach-target");
        string id = started.GetProperty("id").GetString()!;
        Assert.Equal("reach-target", started.GetProperty("task").GetString());
        Assert.Equal("running", started.GetProperty("status").GetString());
        Assert.Equal("sam", started.GetProperty("user").GetString());
        Assert.True(started.GetProperty("startedUtc").TryGetDateTimeOffset(out _));

        // The target and vessel come in the robot base frame (m), placed at the arm's home tool tip.
        JsonElement geometry = started.GetProperty("geometry");
        Vec3 home = Vec(geometry.GetProperty("homeTipM"));
        Assert.True(Vec3.Distance(home, rig.Robot.ForwardKinematics(rig.Robot.HomeRad).Position) < 1e-9, $"home tip {home}");
        Assert.Equal(40, Vec3.Distance(home, Vec(geometry.GetProperty("targetM"))) * 1000, 2);
        Assert.Equal(0.003, geometry.GetProperty("vesselRadiusM").GetDouble(), 9);

        await WaitForSamplesAsync(sam, id, 20);
        HttpResponseMessage r = await sam.PostAsync($"/api/training/attempts/{id}/finish", null);
        string text = await r.Content.ReadAsStringAsync();
        double elapsedS = sw.Elapsed.TotalSeconds;
        Assert.True(r.StatusCode == HttpStatusCode.OK, text);
        using JsonDocument doc = JsonDocument.Parse(text);
        JsonElement finished = doc.RootElement;
        Assert.Equal("finished", finished.GetProperty("status").GetString());
        Assert.Equal("finish", finished.GetProperty("endedBy").GetString());

        // Nobody moved the arm: not reached, about no path, the home tip's 10 mm from the vessel's surface, no corridor here.
        JsonElement score = finished.GetProperty("score");
        Assert.False(score.GetProperty("reached").GetBoolean());
        Assert.InRange(score.GetProperty("pathLengthMm").GetDouble(), 0, 5);
        Assert.InRange(score.GetProperty("timeS").GetDouble(), 0.1, elapsedS); // ≥ 20 samples 10 ms apart, within the attempt
        Assert.InRange(score.GetProperty("minClearanceMm").GetDouble(), 8, 12);
        Assert.InRange(score.GetProperty("peakForceN").GetDouble(), 0, 5);
        Assert.Equal(0, score.GetProperty("corridorViolations").GetInt32());
        Assert.True(score.GetProperty("dimensionlessJerk").GetDouble() >= 0);
        Assert.True(score.GetProperty("samples").GetInt32() >= 20);
        Assert.Equal(0.0, score.GetProperty("score").GetDouble());

        // Kept in sam's file, listed, readable by id, exported.
        Assert.True(File.Exists(Path.Combine(_f.Sim.DataDirectory, "training", "sam.json")));
        JsonElement scores = await sam.GetFromJsonAsync<JsonElement>("/api/training/scores");
        JsonElement listed = Assert.Single(scores.EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.False(listed.GetProperty("score").GetProperty("reached").GetBoolean());
        JsonElement again = await sam.GetFromJsonAsync<JsonElement>($"/api/training/attempts/{id}");
        Assert.Equal("finished", again.GetProperty("status").GetString());

        HttpResponseMessage csv = await sam.GetAsync("/api/training/scores.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        string[] lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(CsvHeader, lines[0]);
        string[] row = lines[1].Split(',');
        Assert.Equal(12, row.Length);
        Assert.Equal($"sam,reach-target,{id},false", string.Join(',', row[1..5]));
        Assert.Equal(score.GetProperty("pathLengthMm").GetDouble(), double.Parse(row[6], System.Globalization.CultureInfo.InvariantCulture), 3);
        Assert.Equal("0", row[11]);

        // Audited: who started and who finished.
        HttpClient admin = _f.Sim.UserClient("ada", Role.Admin);
        JsonElement audit = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?subject={id}");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("kind").GetString() == "trainingStarted" && a.GetProperty("user").GetString() == "sam");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("kind").GetString() == "trainingFinished" && a.GetProperty("user").GetString() == "sam");
    }

    [Fact]
    public async Task Start_WhileOneRuns_Answers409NamingWhoRunsIt_AndOnlyTheTraineeFinishesIt()
    {
        await _f.ReadyRigAsync();
        HttpClient sue = _f.Sim.UserClient("sue", Role.Surgeon);
        HttpClient tom = _f.Sim.UserClient("tom", Role.Surgeon);
        string id = (await StartAsync(sue, "reach-target")).GetProperty("id").GetString()!;
        HttpResponseMessage finish;
        try
        {
            HttpResponseMessage second = await tom.PostAsJsonAsync("/api/training/attempts", new { task = "reach-target" });
            string text = await second.Content.ReadAsStringAsync();
            Assert.True(second.StatusCode == HttpStatusCode.Conflict, text);
            Assert.Contains("sue", text, StringComparison.Ordinal);
            Assert.Contains(id, text, StringComparison.Ordinal);

            // Another trainee neither sees nor finishes it.
            Assert.Equal(HttpStatusCode.NotFound, (await tom.GetAsync($"/api/training/attempts/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await tom.PostAsync($"/api/training/attempts/{id}/finish", null)).StatusCode);
        }
        finally
        {
            finish = await sue.PostAsync($"/api/training/attempts/{id}/finish", null);
        }

        Assert.Equal(HttpStatusCode.OK, finish.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sue.PostAsync($"/api/training/attempts/{id}/finish", null)).StatusCode); // finishing twice: the same attempt

        // Free again; and sue's scores: hers to read, the admin's (training.review) with ?user=, not tom's.
        string next = (await StartAsync(tom, "reach-target")).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await tom.PostAsync($"/api/training/attempts/{next}/finish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tom.GetAsync("/api/training/scores?user=sue")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tom.GetAsync("/api/training/scores.csv?user=sue")).StatusCode);
        JsonElement hers = await _f.Sim.UserClient("ada", Role.Admin).GetFromJsonAsync<JsonElement>("/api/training/scores?user=sue");
        Assert.Equal(id, Assert.Single(hers.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Start_UnknownOrMissingTask_Answers400NamingIt()
    {
        HttpClient sam = _f.Sim.UserClient("una", Role.Surgeon);
        HttpResponseMessage r = await sam.PostAsJsonAsync("/api/training/attempts", new { task = "fly-to-the-moon" });
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("fly-to-the-moon", text, StringComparison.Ordinal);
        Assert.Contains("reach-target", text, StringComparison.Ordinal);

        HttpResponseMessage none = await sam.PostAsJsonAsync("/api/training/attempts", new { });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("task", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Role.Engineer)]
    [InlineData(Role.Dosimetrist)]
    [InlineData(Role.Physicist)]
    public async Task OtherRoles_Answer403(Role role)
    {
        HttpClient c = _f.Sim.UserClient("eve-" + role.ToString().ToLowerInvariant(), role);
        HttpResponseMessage start = await c.PostAsJsonAsync("/api/training/attempts", new { task = "reach-target" });
        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        Assert.Contains("training.attempt", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await c.GetAsync("/api/training/tasks")).StatusCode);
        HttpResponseMessage scores = await c.GetAsync("/api/training/scores");
        Assert.Equal(HttpStatusCode.Forbidden, scores.StatusCode);
        Assert.Contains("training.attempt", await scores.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await c.GetAsync("/api/training/scores.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _f.Sim.CreateClient().GetAsync("/api/training/scores")).StatusCode);
    }

    [Fact]
    public async Task NoSimulatedArm_Answers503WithTheReason_ScoresStillReadable()
    {
        using var service = new ServiceFactory(null);
        HttpClient sam = service.UserClient("sam", Role.Surgeon);
        HttpResponseMessage r = await sam.PostAsJsonAsync("/api/training/attempts", new { task = "reach-target" });
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.ServiceUnavailable, text);
        Assert.Contains("--controller sim", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await sam.GetAsync("/api/training/tasks")).StatusCode);

        Assert.Empty((await sam.GetFromJsonAsync<JsonElement>("/api/training/scores")).EnumerateArray());
        string csv = await sam.GetStringAsync("/api/training/scores.csv");
        Assert.Equal(CsvHeader + "\r\n", csv);
    }

    [Fact]
    public async Task TimeLimit_FinishesTheAttempt()
    {
        await _f.ReadyRigAsync();
        string dir = ServiceFactory.NewDataDirectory();
        string tasksDir = Path.Combine(dir, "tasks");
        Directory.CreateDirectory(tasksDir);
        File.WriteAllText(Path.Combine(tasksDir, "quick.json"),
            """{ "id": "quick", "name": "Quick", "targetMm": [40, 0, 0], "toleranceMm": 3, "vessel": { "aMm": [5, 12, 0], "bMm": [35, 12, 0], "radiusMm": 3 }, "timeLimitS": 0.5 }""");
        var catalog = new TrainingCatalog(tasksDir);
        Assert.Null(catalog.Error);
        var store = new TrainingScoreStore(new ServicePaths(Path.Combine(dir, "data")));
        IServiceProvider services = _f.Sim.Services;
        var recorder = new TrainingRecorder(services.GetRequiredService<ControllerMonitor>(), catalog, store, services.GetRequiredService<PhiAudit>(),
            TimeProvider.System, NullLogger<TrainingRecorder>.Instance);

        (TrainingAttemptView? attempt, string? conflict) = recorder.Start(catalog.Tasks[0], "tim");
        Assert.Null(conflict);
        string id = attempt!.Id;
        var sw = Stopwatch.StartNew();
        TrainingAttemptView? view = recorder.Find(id);
        while (view?.Status != TrainingAttemptView.Finished && sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
            view = recorder.Find(id);
        }

        Assert.NotNull(view);
        Assert.Equal(TrainingAttemptView.Finished, view.Status);
        Assert.Equal(TrainingRecorder.EndedByTimeLimit, view.EndedBy);
        Assert.True(view.Score!.Samples >= 2);
        Assert.Equal(id, Assert.Single(store.Of("tim")).Id);
        (TrainingAttemptRecord? again, bool finishedNow) = recorder.Finish(id);
        Assert.False(finishedNow);
        Assert.Equal(id, again?.Id);
        Directory.Delete(dir, recursive: true);
    }

    private static async Task<JsonElement> StartAsync(HttpClient client, string task)
    {
        HttpResponseMessage r = await client.PostAsJsonAsync("/api/training/attempts", new { task });
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"POST /api/training/attempts: {(int)r.StatusCode} {text}");
        using JsonDocument doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    private static async Task WaitForSamplesAsync(HttpClient client, string id, int samples)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            JsonElement a = await client.GetFromJsonAsync<JsonElement>($"/api/training/attempts/{id}");
            if (a.GetProperty("samples").GetInt32() >= samples)
            {
                return;
            }

            if (sw.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Attempt {id} has {a.GetProperty("samples").GetInt32()} samples after 30 s: {a}");
            }

            await Task.Delay(50);
        }
    }

    private static Vec3 Vec(JsonElement xyz) => new(xyz[0].GetDouble(), xyz[1].GetDouble(), xyz[2].GetDouble());
}
