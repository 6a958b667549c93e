using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MeTAI.Cli.Tests.Commands.DicomFiles.Network;

namespace MeTAI.Cli.Tests.Commands;

/// <summary>
/// <c>metai users …</c> while <c>metai serve</c> runs as its own process on the same data directory: the service's
/// own records (users added through its API) and the CLI's (users added, tokens issued, roles changed, revocations)
/// interleave in one hash chain, which <c>metai audit verify</c> accepts, and the CLI's name the operating-system
/// user, <c>via: cli</c> and the account.
/// </summary>
public class UsersAuditTests
{
    [Fact]
    public async Task UserChanges_WhileTheServiceRuns_JoinItsAuditChain()
    {
        string data = Path.Combine(CliRunner.TempDir("users-audit"), "data");
        int port = FreePort();
        using var service = new CliProcess("serve", "--urls", $"http://127.0.0.1:{port}", "--data-dir", data);
        service.WaitFor("First start: created user 'admin'");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitForHealth(http);

        (int code, string stdout, string stderr) = CliRunner.Run("users", "token", "admin", "--days", "1", "--data-dir", data);
        Assert.True(code == 0, stderr);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stdout.TrimEnd().Split('\n')[^1]);

        // The service writes its records while the CLI writes its own: both append to audit.log at the same time.
        const int Each = 15;
        Task api = Task.Run(async () =>
        {
            for (int n = 0; n < Each; n++)
            {
                HttpResponseMessage r = await http.PostAsJsonAsync("/api/users", new { name = $"api-{n}", role = "surgeon" });
                Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            }
        });
        for (int n = 0; n < Each; n++)
        {
            Assert.Equal(0, CliRunner.Run("users", "add", $"cli-{n}", "--role", "dosimetrist", "--data-dir", data).ExitCode);
        }

        Assert.Equal(0, CliRunner.Run("users", "role", "cli-1", "physicist", "--data-dir", data).ExitCode);
        Assert.Equal(0, CliRunner.Run("users", "token", "cli-2", "--data-dir", data).ExitCode);
        Assert.Equal(0, CliRunner.Run("users", "revoke", "cli-2", "--data-dir", data).ExitCode);
        await api;

        string log = Path.Combine(data, "audit.log");
        (code, stdout, stderr) = CliRunner.Run("audit", "verify", log);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("chain intact", stdout, StringComparison.Ordinal);

        List<JsonElement> records = [.. File.ReadLines(log).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        Assert.Equal(Each, records.Count(r => Field(r, "kind") == "userAdded" && Field(r, "via") == "cli"));
        Assert.Equal(Each, records.Count(r => Field(r, "kind") == "userAdded" && Field(r, "via") == "token"));
        JsonElement added = Assert.Single(records, r => Field(r, "kind") == "userAdded" && Field(r, "account") == "cli-3");
        Assert.Equal(Environment.UserName, Field(added, "user"));
        Assert.Equal("cli", Field(added, "via"));
        Assert.Equal("dosimetrist", Field(added, "accountRole"));
        JsonElement viaApi = Assert.Single(records, r => Field(r, "kind") == "userAdded" && Field(r, "account") == "api-3");
        Assert.Equal("admin", Field(viaApi, "user"));
        Assert.Equal("token", Field(viaApi, "via"));
        Assert.Contains(records, r => Field(r, "kind") == "roleChanged" && Field(r, "account") == "cli-1" && Field(r, "accountRole") == "physicist" && Field(r, "via") == "cli");
        Assert.Contains(records, r => Field(r, "kind") == "tokenIssued" && Field(r, "account") == "admin" && Field(r, "via") == "cli");
        Assert.Contains(records, r => Field(r, "kind") == "revoked" && Field(r, "account") == "cli-2" && Field(r, "tokens") == "1" && Field(r, "via") == "cli");

        // The admin reads the CLI's records through the service too, and the service's stop closes the chain.
        JsonElement found = await http.GetFromJsonAsync<JsonElement>("/api/audit?user=" + Uri.EscapeDataString(Environment.UserName) + "&kind=roleChanged");
        Assert.Equal("cli-1", Field(Assert.Single(found.EnumerateArray()), "account"));
        Assert.Equal(0, service.Terminate());
        (code, stdout, _) = CliRunner.Run("audit", "verify", log);
        Assert.Equal(0, code);
        Assert.Contains("closed cleanly", stdout, StringComparison.Ordinal);
    }

    private static string? Field(JsonElement r, string name) => r.TryGetProperty(name, out JsonElement v) ? v.GetString() : null;

    private static async Task WaitForHealth(HttpClient http)
    {
        for (int n = 0; n < 600; n++)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        Assert.Fail("metai serve did not answer /health within 60 s");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
