using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Service.Users;
using Microsoft.Extensions.DependencyInjection;

namespace MeTAI.Service.Tests.Plans;

/// <summary>
/// A plan's second check from the API: who may request it, the Monte Carlo recompute and gamma as a job with its
/// figures and files (the recompute's RT Dose read back by pydicom, referencing the plan's RT Plan), and approval
/// refused without a passing one, allowed with it.
/// </summary>
public class SecondCheckTests : IClassFixture<SharedService>
{
    private readonly ServiceFactory _service;

    public SecondCheckTests(SharedService shared) => _service = shared.Service;

    /// <summary>Polls the plan's second check until it leaves queued/running.</summary>
    public static async Task<JsonElement> WaitForCheckAsync(HttpClient client, string planId, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            JsonElement check = await client.GetFromJsonAsync<JsonElement>($"/api/plans/{planId}/second-check");
            string status = check.GetProperty("status").GetString()!;
            if (status is not ("queued" or "running"))
            {
                return check;
            }

            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"Second check of plan {planId} still {status} after {timeout}: {check}");
            }

            await Task.Delay(300);
        }
    }

    [Fact]
    public async Task SecondCheck_RoleBoundary_RunsAsAJob_FiguresAndFilesComeBack()
    {
        HttpClient dosimetrist = _service.UserClient("dosi.sc", Role.Dosimetrist);
        string id = await PlanClient.SubmitAsync(dosimetrist, PlanClient.QuickPlan(beams: 2));
        (JsonElement plan, _) = await PlanClient.WaitAsync(dosimetrist, id, TimeSpan.FromMinutes(3));
        Assert.Equal("succeeded", plan.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await dosimetrist.GetAsync($"/api/plans/{id}/second-check")).StatusCode);

        foreach (Role role in new[] { Role.Surgeon, Role.Engineer, Role.Admin })
        {
            HttpClient c = _service.UserClient("sc-not-" + Permissions.Name(role), role);
            HttpResponseMessage refused = await c.PostAsync($"/api/plans/{id}/second-check", null);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains(Permissions.PlansCheck, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // 200 000 histories, not the default 10⁷: this test proves the job, its figures and files, not the agreement
        // (which the approval test checks at the default); the quick plan's own dose has only 200 000.
        HttpResponseMessage accepted = await dosimetrist.PostAsJsonAsync($"/api/plans/{id}/second-check", new { histories = 200_000 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/api/plans/{id}/second-check", accepted.Headers.Location?.OriginalString);
        HttpResponseMessage twice = await dosimetrist.PostAsync($"/api/plans/{id}/second-check", null);
        JsonElement check = await WaitForCheckAsync(dosimetrist, id, TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("succeeded", check.GetProperty("status").GetString());
        Assert.Equal("dosi.sc", check.GetProperty("requestedBy").GetString());
        JsonElement r = check.GetProperty("result");
        double passRate = r.GetProperty("gammaPassRatePercent").GetDouble();
        Assert.InRange(passRate, 0, 100);
        Assert.Equal(passRate >= 95, r.GetProperty("passed").GetBoolean());
        Assert.StartsWith("3 %/3 mm global, threshold 10 %", r.GetProperty("criteria").GetString(), StringComparison.Ordinal);
        Assert.True(r.GetProperty("analysedVoxels").GetInt64() > 100);
        Assert.True(r.GetProperty("planMaxDoseGy").GetDouble() > 0);
        Assert.True(r.GetProperty("checkMaxDoseGy").GetDouble() > 0);
        Assert.True(r.GetProperty("maxDoseDifferenceGy").GetDouble() > 0);
        Assert.Equal(200_000, r.GetProperty("histories").GetInt64(), 0.02 * 200_000);

        // The plan view names its latest check; the plans list shows plans only; the check is not a plan.
        JsonElement summary = (await dosimetrist.GetFromJsonAsync<JsonElement>($"/api/plans/{id}")).GetProperty("secondCheck");
        Assert.Equal(check.GetProperty("id").GetString(), summary.GetProperty("id").GetString());
        Assert.Equal(r.GetProperty("passed").GetBoolean(), summary.GetProperty("passed").GetBoolean());
        JsonElement list = await dosimetrist.GetFromJsonAsync<JsonElement>("/api/plans");
        Assert.DoesNotContain(list.EnumerateArray(), p => p.GetProperty("id").GetString() == check.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await dosimetrist.GetAsync($"/api/plans/{check.GetProperty("id").GetString()}")).StatusCode);

        // Its files: the report is the figures; the gamma map a PNG; the recompute's RT Dose references the plan's RT Plan (pydicom).
        JsonElement report = await dosimetrist.GetFromJsonAsync<JsonElement>($"/api/plans/{id}/second-check/files/report");
        Assert.Equal(passRate, report.GetProperty("gammaPassRatePercent").GetDouble());
        byte[] png = await dosimetrist.GetByteArrayAsync($"/api/plans/{id}/second-check/files/gamma-plot");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        string dir = ServiceFactory.NewDataDirectory();
        await File.WriteAllBytesAsync(Path.Combine(dir, "check.dcm"), await dosimetrist.GetByteArrayAsync($"/api/plans/{id}/second-check/files/rtdose"));
        await File.WriteAllBytesAsync(Path.Combine(dir, "plan.dcm"), await dosimetrist.GetByteArrayAsync($"/api/plans/{id}/files/rtplan"));
        string[] uids = Python("import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); p = pydicom.dcmread(sys.argv[2]); print(d.ReferencedRTPlanSequence[0].ReferencedSOPInstanceUID, p.SOPInstanceUID, d.Modality, d.DoseSummationType)",
            Path.Combine(dir, "check.dcm"), Path.Combine(dir, "plan.dcm")).Split(' ');
        Assert.Equal(uids[1], uids[0]);
        Assert.Equal("RTDOSE", uids[2]);
        Assert.Equal("PLAN", uids[3]);

        // Audited: who asked, and the result the service recorded.
        _service.Services.GetRequiredService<MeTAI.Service.Audit.PhiAudit>().Flush();
        string log = await File.ReadAllTextAsync(Path.Combine(_service.DataDirectory, "audit.log"));
        Assert.Contains("\"kind\":\"secondCheckRequested\"", log, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"secondChecked\"", log, StringComparison.Ordinal);
    }

    internal static string Python(string script, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr);
        return stdout.Trim();
    }
}
