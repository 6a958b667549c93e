using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Service.Users;

namespace MeTAI.Service.Tests.Plans;

/// <summary>
/// A plan goes draft → reviewed → approved by a physicist or physician only; the approval is written into the RT
/// Plan's Approval module (read back by pydicom), and an approved plan cannot be deleted or changed.
/// </summary>
public class PlanApprovalTests : IClassFixture<SharedService>
{
    private readonly ServiceFactory _service;

    public PlanApprovalTests(SharedService shared) => _service = shared.Service;

    [Fact]
    public async Task Approval_ByRole_WrittenIntoRtPlan_ThenImmutable()
    {
        HttpClient dosimetrist = _service.UserClient("dosi", Role.Dosimetrist);
        HttpClient physician = _service.UserClient("dr-who", Role.Physician);
        HttpClient physicist = _service.UserClient("phys.alice", Role.Physicist);
        string id = await PlanClient.SubmitAsync(dosimetrist, PlanClient.QuickPlan(beams: 2));
        (JsonElement plan, _) = await PlanClient.WaitAsync(dosimetrist, id, TimeSpan.FromMinutes(3));
        Assert.Equal("succeeded", plan.GetProperty("status").GetString());
        Assert.Equal("draft", plan.GetProperty("approval").GetString());

        foreach (Role role in new[] { Role.Dosimetrist, Role.Surgeon, Role.Engineer, Role.Admin })
        {
            HttpClient c = _service.UserClient("not-" + Permissions.Name(role), role);
            Assert.Equal(HttpStatusCode.Forbidden, (await c.PostAsync($"/api/plans/{id}/review", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await c.PostAsync($"/api/plans/{id}/approve", null)).StatusCode);
        }

        HttpResponseMessage early = await physicist.PostAsync($"/api/plans/{id}/approve", null);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("review it first", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        JsonElement reviewed = await (await physician.PostAsync($"/api/plans/{id}/review", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("reviewed", reviewed.GetProperty("approval").GetString());
        Assert.Equal("dr-who", reviewed.GetProperty("review").GetProperty("reviewedBy").GetString());

        DateTime before = DateTime.UtcNow;
        HttpResponseMessage approve = await physicist.PostAsync($"/api/plans/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        JsonElement approved = await approve.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("approved", approved.GetProperty("approval").GetString());
        Assert.Equal("phys.alice", approved.GetProperty("review").GetProperty("approvedBy").GetString());

        // The RT Plan as downloaded, read by pydicom: Approval Status, Review Date/Time, Reviewer Name.
        string file = Path.Combine(ServiceFactory.NewDataDirectory(), "rtplan.dcm");
        await File.WriteAllBytesAsync(file, await dosimetrist.GetByteArrayAsync($"/api/plans/{id}/files/rtplan"));
        string[] fields = Pydicom(file);
        Assert.Equal("APPROVED", fields[0]);
        Assert.True(fields[1] == before.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) || fields[1] == DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), fields[1]);
        Assert.Matches("^[0-2][0-9][0-5][0-9][0-5][0-9]$", fields[2]);
        Assert.Equal("phys.alice", fields[3]);
        Assert.Equal("RTPLAN", fields[4]);

        // Immutable: not deleted, not reviewed or approved again; its files are read-only.
        HttpResponseMessage delete = await dosimetrist.DeleteAsync($"/api/plans/{id}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("approved", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await physician.PostAsync($"/api/plans/{id}/review", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await physician.PostAsync($"/api/plans/{id}/approve", null)).StatusCode);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(_service.DataDirectory, "jobs", id, "rtplan.dcm")));
        }
    }

    [Fact]
    public async Task Review_OfAPlanThatDidNotSucceed_Answers409_AndOfNoPlan404()
    {
        HttpClient physicist = _service.UserClient("phys.bob", Role.Physicist);
        Assert.Equal(HttpStatusCode.NotFound, (await physicist.PostAsync("/api/plans/nope/review", null)).StatusCode);
        string id = await PlanClient.SubmitAsync(physicist, PlanClient.QuickPlan(beams: 9, histories: 100_000_000));
        await physicist.PostAsync($"/api/plans/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, (await physicist.PostAsync($"/api/plans/{id}/review", null)).StatusCode);
    }

    private static string[] Pydicom(string path)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); print('|'.join(str(x) for x in [d[0x300E, 0x0002].value, d[0x300E, 0x0004].value, d[0x300E, 0x0005].value, d[0x300E, 0x0008].value, d.Modality]))");
        start.ArgumentList.Add(path);
        using Process p = Process.Start(start)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr);
        return stdout.Trim().Split('|');
    }
}
