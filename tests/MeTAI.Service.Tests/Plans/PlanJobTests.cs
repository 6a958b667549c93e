using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Dicom.Rt;

namespace MeTAI.Service.Tests.Plans;

/// <summary>A full plan job through the API: submit, progress, goals, DVH, slices, downloads, cancel, delete.</summary>
public class PlanJobTests : IClassFixture<PlanJobTests.Fixture>
{
    private readonly Fixture _f;

    public PlanJobTests(Fixture f) => _f = f;

    /// <summary>One service with one finished quick plan, shared by the tests of this class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public ServiceFactory Service { get; } = new(null);

        public HttpClient Client { get; private set; } = null!;

        public string Id { get; private set; } = null!;

        public JsonElement Plan { get; private set; }

        public List<double> Progress { get; private set; } = [];

        public HttpResponseMessage Submitted { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Client = Service.KeyedClient();
            Submitted = await Client.PostAsJsonAsync("/api/plans", PlanClient.QuickPlan());
            Assert.Equal(HttpStatusCode.Accepted, Submitted.StatusCode);
            Id = JsonDocument.Parse(await Submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            (Plan, Progress) = await PlanClient.WaitAsync(Client, Id, TimeSpan.FromMinutes(3));
        }

        public Task DisposeAsync()
        {
            Service.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Submit_Answers202WithLocation()
    {
        Assert.Equal($"/api/plans/{_f.Id}", _f.Submitted.Headers.Location?.ToString());
    }

    [Fact]
    public void Job_Succeeds_WithProgressRisingTo1()
    {
        Assert.True(_f.Plan.GetProperty("status").GetString() == "succeeded", _f.Plan.ToString());
        Assert.Equal(1.0, _f.Plan.GetProperty("progress").GetDouble());
        for (int n = 1; n < _f.Progress.Count; n++)
        {
            Assert.True(_f.Progress[n] >= _f.Progress[n - 1], "progress went back: " + string.Join(", ", _f.Progress));
        }

        Assert.StartsWith("open-field", _f.Plan.GetProperty("runner").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Job_ReportsTheProtocolsGoals()
    {
        JsonElement goals = _f.Plan.GetProperty("goals");
        Assert.Equal(3, goals.GetArrayLength());
        JsonElement d95 = goals.EnumerateArray().First(g => g.GetProperty("structure").GetString() == "PTV" && g.GetProperty("metric").GetString() == "D95");
        Assert.Equal(50.0, d95.GetProperty("target").GetDouble(), 6);
        // Normalised to D95(PTV) = 100.5 % of 50 Gy: the goal D95 ≥ 100 % passes.
        Assert.InRange(d95.GetProperty("achieved").GetDouble(), 50.0, 50.5);
        Assert.True(d95.GetProperty("passed").GetBoolean());
        // Open fields cannot spare the core inside the C: its D10 ≤ 50 % goal fails, and the API says so.
        JsonElement core = goals.EnumerateArray().First(g => g.GetProperty("structure").GetString() == "Core");
        Assert.False(core.GetProperty("passed").GetBoolean());
        Assert.False(_f.Plan.GetProperty("allGoalsPassed").GetBoolean());
    }

    [Fact]
    public async Task Dvh_HasEveryStructure_Cumulative()
    {
        JsonElement dvh = await _f.Client.GetFromJsonAsync<JsonElement>($"/api/plans/{_f.Id}/dvh");
        Assert.Equal("Gy", dvh.GetProperty("doseUnit").GetString());
        double bin = dvh.GetProperty("binGy").GetDouble();
        Assert.True(bin > 0);
        var names = dvh.GetProperty("structures").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("PTV", names);
        Assert.Contains("Core", names);
        Assert.Contains("External", names);
        JsonElement ptv = dvh.GetProperty("structures").EnumerateArray().First(s => s.GetProperty("name").GetString() == "PTV");
        double[] v = [.. ptv.GetProperty("volumePercent").EnumerateArray().Select(e => e.GetDouble())];
        Assert.Equal(100, v[0], 6);
        Assert.Equal(0, v[^1], 6);
        for (int b = 1; b < v.Length; b++)
        {
            Assert.True(v[b] <= v[b - 1]);
        }

        // 95 % of the PTV gets ≥ 50.25 Gy.
        int at50 = (int)Math.Floor(50.0 / bin);
        Assert.True(v[at50] >= 95, $"V50Gy(PTV) = {v[at50]} %");
    }

    [Fact]
    public async Task Slices_DecodeToCtAndDoseOfTheGridSize()
    {
        JsonElement info = await _f.Client.GetFromJsonAsync<JsonElement>($"/api/plans/{_f.Id}/slices");
        int w = info.GetProperty("width").GetInt32(), h = info.GetProperty("height").GetInt32(), count = info.GetProperty("count").GetInt32();
        Assert.Equal(count, info.GetProperty("zMm").GetArrayLength());
        int k = info.GetProperty("defaultSlice").GetInt32();
        JsonElement slice = await _f.Client.GetFromJsonAsync<JsonElement>($"/api/plans/{_f.Id}/slices/{k}");
        byte[] ct = Convert.FromBase64String(slice.GetProperty("ctHu").GetString()!);
        byte[] dose = Convert.FromBase64String(slice.GetProperty("doseGy").GetString()!);
        Assert.Equal(w * h * 2, ct.Length);
        Assert.Equal(w * h * 4, dose.Length);
        float[] d = new float[w * h];
        Buffer.BlockCopy(dose, 0, d, 0, dose.Length);
        Assert.True(d.Max() > 40, "the hottest slice holds the prescription dose");
        Assert.Contains(slice.GetProperty("contours").EnumerateArray(), c => c.GetProperty("name").GetString() == "PTV");
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Client.GetAsync($"/api/plans/{_f.Id}/slices/{count}")).StatusCode);
    }

    [Fact]
    public async Task Files_AreTheDicomRtSetAndReport()
    {
        string dir = Path.Combine(ServiceFactory.NewDataDirectory(), "download");
        Directory.CreateDirectory(dir);
        foreach (string kind in new[] { "rtplan", "rtdose", "rtstruct", "report", "ct" })
        {
            HttpResponseMessage r = await _f.Client.GetAsync($"/api/plans/{_f.Id}/files/{kind}");
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{kind}: {(int)r.StatusCode}");
            await File.WriteAllBytesAsync(Path.Combine(dir, kind), await r.Content.ReadAsByteArrayAsync());
        }

        RtPlan plan = RtPlanReader.Read(Path.Combine(dir, "rtplan"));
        Assert.Equal(3, plan.Beams.Count);
        Assert.Equal(25, plan.FractionsPlanned);
        RtDose dose = RtDoseReader.Read(Path.Combine(dir, "rtdose"));
        Assert.True(dose.MaxDose() > 50);
        Assert.Contains(RtStructureSetReader.Read(Path.Combine(dir, "rtstruct")).Rois, r => r.Name == "PTV");
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report")));
        Assert.Equal(3, report.RootElement.GetProperty("goals").GetArrayLength());
        Assert.True(report.RootElement.GetProperty("metrics").GetProperty("PTV").GetProperty("d95Gy").GetDouble() > 50);
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(dir, "ct"));
        Assert.Equal(dose.Dose.Geometry.SizeZ, zip.Entries.Count(e => e.FullName.StartsWith("ct/", StringComparison.Ordinal) && e.Length > 0));
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Client.GetAsync($"/api/plans/{_f.Id}/files/secret")).StatusCode);

        // dicom3tools' validator (installed by test.sh) finds no errors in the plan and the dose.
        foreach (string kind in new[] { "rtplan", "rtdose" })
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/dciodvfy", Path.Combine(dir, kind))
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            string validation = await p.StandardError.ReadToEndAsync() + await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.DoesNotContain(validation.Split('\n'), l => l.StartsWith("Error", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task List_HoldsThePlan()
    {
        JsonElement list = await _f.Client.GetFromJsonAsync<JsonElement>("/api/plans");
        Assert.Contains(list.EnumerateArray(), p => p.GetProperty("id").GetString() == _f.Id);
    }

    [Fact]
    public async Task Cancel_FinishedPlan_Answers409()
    {
        HttpResponseMessage r = await _f.Client.PostAsync($"/api/plans/{_f.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
    }

    [Fact]
    public async Task Cancel_RunningAndQueuedPlans_EndCancelled()
    {
        // A long plan occupies the single worker; a second one waits in the queue.
        string running = await PlanClient.SubmitAsync(_f.Client, PlanClient.QuickPlan(histories: 200_000_000, beams: 1));
        string queued = await PlanClient.SubmitAsync(_f.Client, PlanClient.QuickPlan());
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while ((await _f.Client.GetFromJsonAsync<JsonElement>($"/api/plans/{running}")).GetProperty("status").GetString() != "running")
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "the long plan never started");
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await _f.Client.PostAsync($"/api/plans/{queued}/cancel", null)).StatusCode);
        Assert.Equal("cancelled", (await _f.Client.GetFromJsonAsync<JsonElement>($"/api/plans/{queued}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await _f.Client.PostAsync($"/api/plans/{running}/cancel", null)).StatusCode);
        (JsonElement plan, _) = await PlanClient.WaitAsync(_f.Client, running, TimeSpan.FromSeconds(60));
        Assert.Equal("cancelled", plan.GetProperty("status").GetString());
        Assert.False(Directory.Exists(Path.Combine(_f.Service.DataDirectory, "jobs", running + ".partial")));
        Assert.Equal(HttpStatusCode.Conflict, (await _f.Client.GetAsync($"/api/plans/{running}/dvh")).StatusCode);

        // A finished plan can be deleted, an unknown one is 404.
        Assert.Equal(HttpStatusCode.NoContent, (await _f.Client.DeleteAsync($"/api/plans/{running}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Client.GetAsync($"/api/plans/{running}")).StatusCode);
    }
}
