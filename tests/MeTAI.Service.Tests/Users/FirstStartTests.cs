using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MeTAI.Service.Tests.Users;

/// <summary>The first start makes an admin and prints its one-time password once; the data directory is the service's alone.</summary>
public partial class FirstStartTests
{
    [Fact]
    public async Task FirstStart_PrintsTheAdminsOneTimePasswordOnce_AndDataIsOwnerOnly()
    {
        string data = ServiceFactory.NewDataDirectory();
        string password;
        using (ServiceProcess first = await ServiceProcess.StartAsync(data))
        {
            Match m = OneTime().Match(first.Output);
            Assert.True(m.Success, first.Output);
            password = m.Groups[1].Value;
            using HttpClient c = first.Client();
            HttpResponseMessage r = await c.PostAsJsonAsync("/api/session", new { name = "admin", password, newPassword = "the-admins-own-passphrase" });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("admin", JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("role").GetString());
            Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromMinutes(1)));
        }

        using (ServiceProcess second = await ServiceProcess.StartAsync(data))
        {
            Assert.DoesNotContain("one-time password", second.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(password, second.Output, StringComparison.Ordinal);
        }

        // Files 0600, folders 0700 (the service sets its umask to 077 and tightens what it finds).
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (string path in Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories).Append(data))
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            Assert.True((mode & others) == 0, $"{path} is {mode}");
        }
    }

    [GeneratedRegex(@"created user 'admin' \(role admin\) with the one-time password (\S+)")]
    private static partial Regex OneTime();
}
