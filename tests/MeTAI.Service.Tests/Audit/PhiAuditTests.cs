using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MeTAI.Robotics.Audit;
using MeTAI.Service.Audit;
using MeTAI.Service.Tests.Users;
using MeTAI.Service.Users;
using Microsoft.Extensions.DependencyInjection;

namespace MeTAI.Service.Tests.Audit;

/// <summary>Who touched patient data, in a hash-chained log that an admin can query and that shows any tampering.</summary>
public class PhiAuditTests
{
    [Fact]
    public async Task PatientDataActions_AreAudited_QueryableByAdmin_AndTamperingShows()
    {
        string data = ServiceFactory.NewDataDirectory();
        string plan, submitted;
        using (var service = new ServiceFactory(data))
        {
            HttpClient dosimetrist = service.UserClient("dora", Role.Dosimetrist);
            HttpClient admin = service.UserClient("ada", Role.Admin);
            plan = RoleBoundaryTests.FinishedPlan(service);
            Assert.Equal(HttpStatusCode.OK, (await dosimetrist.GetAsync($"/api/plans/{plan}/files/rtdose")).StatusCode);
            submitted = await PlanClient.SubmitAsync(dosimetrist, PlanClient.QuickPlan());
            Assert.Equal(HttpStatusCode.Accepted, (await dosimetrist.PostAsync($"/api/plans/{submitted}/cancel", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await dosimetrist.DeleteAsync($"/api/plans/{plan}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await dosimetrist.GetAsync("/api/audit")).StatusCode);

            JsonElement byDora = await admin.GetFromJsonAsync<JsonElement>("/api/audit?user=dora");
            string[] kinds = [.. byDora.EnumerateArray().Select(r => r.GetProperty("kind").GetString()!).Reverse()];
            Assert.Equal(["downloaded", "planned", "cancelled", "deleted"], kinds);
            JsonElement download = byDora.EnumerateArray().Last();
            Assert.Equal(plan, download.GetProperty("plan").GetString());
            Assert.Equal("rtdose", download.GetProperty("file").GetString());
            Assert.Equal("dosimetrist", download.GetProperty("role").GetString());
            Assert.Equal("token", download.GetProperty("via").GetString());
            JsonElement aboutPlan = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?subject={plan}");
            Assert.Equal(2, aboutPlan.GetArrayLength()); // downloaded, deleted
            Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("isValid").GetBoolean());

            // The first start's admin is recorded as made by the system, the account named apart from the actor.
            JsonElement made = (await admin.GetFromJsonAsync<JsonElement>("/api/audit?kind=userAdded")).EnumerateArray().Single();
            Assert.Equal("system", made.GetProperty("user").GetString());
            Assert.Equal("admin", made.GetProperty("account").GetString());
        }

        // The controller's verifier (what `metai audit verify DATA/audit.log` runs) accepts the service's log…
        string log = Path.Combine(data, PhiAudit.FileName);
        AuditVerification ok = AuditVerifier.Verify(log);
        Assert.True(ok.IsValid, ok.Problem);
        Assert.True(ok.Closed);

        // …and finds an edited record: who downloaded the plan, changed after the fact.
        string[] lines = File.ReadAllLines(log);
        foreach (string line in lines)
        {
            // Every record is an object with each key once (JsonDocument keeps duplicates; count them).
            using JsonDocument d = JsonDocument.Parse(line);
            string[] keys = [.. d.RootElement.EnumerateObject().Select(p => p.Name)];
            Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        }

        int at = Array.FindIndex(lines, l => l.Contains("\"downloaded\"", StringComparison.Ordinal));
        lines[at] = lines[at].Replace("\"dora\"", "\"someone-else\"", StringComparison.Ordinal);
        File.WriteAllText(log, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        AuditVerification tampered = AuditVerifier.Verify(log);
        Assert.False(tampered.IsValid);
        Assert.Equal(at + 2, tampered.FirstBadLine); // the record after the edited one no longer chains to it

        // A deleted record shows too.
        File.WriteAllText(log, string.Join('\n', File.ReadAllLines(log).Where((_, i) => i != at)) + "\n", new UTF8Encoding(false));
        Assert.Contains("sequence", AuditVerifier.Verify(log).Problem, StringComparison.Ordinal);
    }
}
