using System.Net;
using System.Net.Sockets;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands;

public class ServeCommandTests
{
    [Fact]
    public async Task Serve_AnswersHealth_AndGuardsTheApiWithTheKeysFile()
    {
        string dir = CliRunner.TempDir("serve");
        string keys = Path.Combine(dir, "keys.txt");
        File.WriteAllText(keys, "serve-test-key-0123456789\n");
        int port = FreePort();
        Task<(int Code, string Stdout, string Stderr)> run = Task.Run(() => CliRunner.Run("serve", "--urls", $"http://127.0.0.1:{port}",
            "--data-dir", Path.Combine(dir, "data"), "--api-keys-file", keys, "--seconds", "6"));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        HttpResponseMessage? health = null;
        for (int n = 0; n < 100 && health is null; n++)
        {
            try
            {
                health = await http.GetAsync("/health");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(health);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/plans")).StatusCode);
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/api/plans");
        keyed.Headers.Add("X-Api-Key", "serve-test-key-0123456789");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(keyed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);

        (int code, _, string stderr) = await run;
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(dir, "data", "jobs.db")));
    }

    [Fact]
    public void Serve_UnknownControllerSource_ExitsWithAMessage()
    {
        (int code, _, string stderr) = CliRunner.Run("serve", "--controller", "serial", "--seconds", "1");
        Assert.Equal(1, code);
        Assert.Contains("--controller 'serial'", stderr, StringComparison.Ordinal);
    }

    [ToolFact("echoscu")]
    public async Task Serve_DicomPort_AnswersEchoAsItsAeTitle()
    {
        string dir = CliRunner.TempDir("serve-dicom");
        int port = FreePort(), dicomPort = FreePort();
        string dicom = dicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Task<(int Code, string Stdout, string Stderr)> run = Task.Run(() => CliRunner.Run("serve", "--urls", $"http://127.0.0.1:{port}",
            "--data-dir", Path.Combine(dir, "data"), "--dicom-port", dicom, "--dicom-aet", "METAI-SERVE", "--dicom-allow", "ECHOSCU", "--seconds", "8"));

        // Until the host has started nothing listens; then the echo succeeds.
        ProcessOutput echo = OutsideTools.Run("echoscu", "-aet", "ECHOSCU", "-aec", "METAI-SERVE", "127.0.0.1", dicom);
        for (int n = 0; n < 100 && echo.ExitCode != 0; n++)
        {
            await Task.Delay(50);
            echo = OutsideTools.Run("echoscu", "-aet", "ECHOSCU", "-aec", "METAI-SERVE", "127.0.0.1", dicom);
        }

        ProcessOutput refused = OutsideTools.Run("echoscu", "-aet", "OTHER", "-aec", "METAI-SERVE", "127.0.0.1", dicom);
        (int code, _, string stderr) = await run;

        Assert.True(echo.ExitCode == 0, echo.Output);
        Assert.Contains("Calling AE Title Not Recognized", refused.Output, StringComparison.Ordinal);
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void Serve_DicomPortOutOfRange_ExitsWithAMessage()
    {
        (int code, _, string stderr) = CliRunner.Run("serve", "--dicom-port", "70000", "--seconds", "1");
        Assert.Equal(1, code);
        Assert.Contains("--dicom-port 70000 is not a TCP port", stderr, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
