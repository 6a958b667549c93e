using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

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

        Assert.Equal("planner", _f.Plan.GetProperty("runner").GetString());
        Assert.Equal("done", _f.Plan.GetProperty("phase").GetString());
        Assert.Contains("IMRT, 3 beams", _f.Plan.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_ReportsTheGoalsOfReportJson()
    {
        JsonElement goals = _f.Plan.GetProperty("goals");
        Assert.Equal(3, goals.GetArrayLength());
        JsonElement d95 = goals.EnumerateArray().First(g => g.GetProperty("structure").GetString() == "PTV" && g.GetProperty("metric").GetString() == "D95");
        Assert.Equal(50.0, d95.GetProperty("target").GetDouble(), 6);
        Assert.Equal("Gy", d95.GetProperty("unit").GetString());
        // The planner normalises D95(PTV) to 100.5 % of 50 Gy, so this goal passes whatever the noise.
        Assert.Equal(50.25, d95.GetProperty("achieved").GetDouble(), 0.01);
        Assert.True(d95.GetProperty("passed").GetBoolean());
        Assert.Equal(goals.EnumerateArray().All(g => g.GetProperty("passed").GetBoolean()), _f.Plan.GetProperty("allGoalsPassed").GetBoolean());

        // The API's goals are report.json's, value for value.
        using JsonDocument report = JsonDocument.Parse(await _f.Client.GetStringAsync($"/api/plans/{_f.Id}/files/report"));
        JsonElement[] fromReport = [.. report.RootElement.GetProperty("goals").EnumerateArray()];
        Assert.Equal(fromReport.Length, goals.GetArrayLength());
        for (int n = 0; n < fromReport.Length; n++)
        {
            foreach (string field in new[] { "structure", "metric", "comparison", "unit" })
            {
                Assert.Equal(fromReport[n].GetProperty(field).GetString(), goals[n].GetProperty(field).GetString());
            }

            foreach (string field in new[] { "target", "achieved" })
            {
                Assert.Equal(fromReport[n].GetProperty(field).GetDouble(), goals[n].GetProperty(field).GetDouble());
            }

            Assert.Equal(fromReport[n].GetProperty("passed").GetBoolean(), goals[n].GetProperty("passed").GetBoolean());
        }
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

        // D95(PTV) = 50.25 Gy: at least 95 % of the PTV gets 50 Gy.
        int at50 = (int)Math.Floor(50.0 / bin);
        Assert.True(v[at50] >= 95, $"V50Gy(PTV) = {v[at50]} %");

        // The curves are the planner's: their mean and volume are report.json's metrics.
        using JsonDocument report = JsonDocument.Parse(await _f.Client.GetStringAsync($"/api/plans/{_f.Id}/files/report"));
        JsonElement metrics = report.RootElement.GetProperty("metrics").GetProperty("PTV");
        Assert.Equal(metrics.GetProperty("meanGy").GetDouble(), ptv.GetProperty("meanGy").GetDouble(), 0.001);
        Assert.Equal(metrics.GetProperty("volumeCc").GetDouble(), ptv.GetProperty("volumeCc").GetDouble(), 0.01);
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
        Assert.True(d.Max() > 40, "the first slice shown holds the prescription dose");

        // That first slice is the one through the planner's isocentre.
        using JsonDocument report = JsonDocument.Parse(await _f.Client.GetStringAsync($"/api/plans/{_f.Id}/files/report"));
        double isoZ = report.RootElement.GetProperty("isocenterLps")[2].GetDouble();
        double[] z = [.. info.GetProperty("zMm").EnumerateArray().Select(e => e.GetDouble())];
        double spacing = Math.Abs(z[1] - z[0]);
        Assert.True(Math.Abs(z[k] - isoZ) <= spacing / 2 + 1e-6, $"slice {k} at z = {z[k]} mm, isocentre at z = {isoZ} mm");
        Assert.Contains(slice.GetProperty("contours").EnumerateArray(), c => c.GetProperty("name").GetString() == "PTV");
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Client.GetAsync($"/api/plans/{_f.Id}/slices/{count}")).StatusCode);
    }

    [Fact]
    public async Task Files_AreTheDicomRtSetAndReport()
    {
        string dir = Path.Combine(ServiceFactory.NewDataDirectory(), "download");
        Directory.CreateDirectory(dir);
        foreach (string kind in new[] { "rtplan", "rtdose", "rtstruct", "report", "ct", "dvh-plot", "dose-plot", "log" })
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
        Assert.True(report.RootElement.GetProperty("metrics").GetProperty("PTV").GetProperty("D95Gy").GetDouble() > 50);
        Assert.Equal(3, report.RootElement.GetProperty("beams").GetArrayLength());
        Assert.True(report.RootElement.GetProperty("objectiveHistory").GetArrayLength() > 2, "the fluence was optimised");
        foreach (string png in new[] { "dvh-plot", "dose-plot" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(dir, png));
            Assert.True(bytes.AsSpan().StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G']), $"{png} is not a PNG");
        }

        string log = File.ReadAllText(Path.Combine(dir, "log"));
        Assert.Contains("influence:", log, StringComparison.Ordinal);
        Assert.Contains("final dose:", log, StringComparison.Ordinal);
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
