using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.DicomFiles.Network;

/// <summary>
/// <c>metai dicom listen</c> as its own process, fed by dcmtk's echoscu and storescu: the case arrives whole and laid out
/// as a case, one line per association and object, a caller outside the allow-list is rejected, and SIGTERM stops it
/// with exit 0 and a last line saying what was stored.
/// </summary>
public class DicomListenCommandTests
{
    [ToolFact("echoscu", "storescu")]
    public void Listen_EchoscuAndStorescuFromAllowedTitles_CaseStoredAsCaseThenSigtermStops()
    {
        string dir = CliRunner.TempDir("listen");
        int port = OrthancServer.FreeTcpPort();
        using var listen = new CliProcess("dicom", "listen", "--port", P(port), "--aet", "METAI-RX", "--out", dir, "--allow", "STORESCU", "--allow", "ECHOSCU");
        listen.WaitFor("listening as METAI-RX");

        ProcessOutput echo = OutsideTools.Run("echoscu", "-aet", "ECHOSCU", "-aec", "METAI-RX", "127.0.0.1", P(port));
        ProcessOutput store = OutsideTools.Run("storescu", ["-aet", "STORESCU", "-aec", "METAI-RX", "127.0.0.1", P(port), .. NetworkCase.Files]);
        int code = listen.Terminate();

        Assert.True(echo.ExitCode == 0, echo.Output);
        Assert.True(store.ExitCode == 0, store.Output);
        Assert.True(code == 0, listen.Stdout + listen.Stderr);
        string study = Path.Combine(dir, NetworkCase.StudyUid);
        Assert.True(File.Exists(Path.Combine(study, "rtstruct.dcm")), listen.Stdout);
        Assert.Equal(NetworkCase.Files.Count - 1, Directory.GetFiles(Path.Combine(study, "ct"), "CT.*.dcm").Length);
        NetworkCase.AssertSameObjects(NetworkCase.Files, NetworkCase.DicomFilesIn(dir));
        string[] lines = listen.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.Contains("C-ECHO answered", StringComparison.Ordinal));
        Assert.Equal(NetworkCase.Files.Count, lines.Count(l => l.Contains(": stored ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("from STORESCU released: 16 objects stored", StringComparison.Ordinal));
        Assert.Equal("stopped: 2 associations, 16 objects stored", lines[^1]);
    }

    [ToolFact("storescu")]
    public void Listen_StorescuFromATitleNotAllowed_RejectedAndNothingStored()
    {
        string dir = CliRunner.TempDir("listen-refused");
        int port = OrthancServer.FreeTcpPort();
        using var listen = new CliProcess("dicom", "listen", "--port", P(port), "--out", dir, "--allow", "PACS");
        listen.WaitFor("listening as METAI");

        ProcessOutput store = OutsideTools.Run("storescu", "-aet", "INTRUDER", "-aec", "METAI", "127.0.0.1", P(port), NetworkCase.Files[^1]);
        ProcessOutput wrongCalled = OutsideTools.Run("storescu", "-aet", "PACS", "-aec", "SOMEONE", "127.0.0.1", P(port), NetworkCase.Files[^1]);
        int code = listen.Terminate();

        Assert.NotEqual(0, store.ExitCode);
        Assert.Contains("Calling AE Title Not Recognized", store.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, wrongCalled.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", wrongCalled.Output, StringComparison.Ordinal);
        Assert.Equal(0, code);
        Assert.Contains("refused association from INTRUDER (127.0.0.1): calling AE title 'INTRUDER' is not in the allow-list", listen.Stdout, StringComparison.Ordinal);
        Assert.Contains("called AE title 'SOMEONE' is not ours ('METAI')", listen.Stdout, StringComparison.Ordinal);
        Assert.Empty(NetworkCase.DicomFilesIn(dir));
        Assert.EndsWith("stopped: 0 associations, 0 objects stored", listen.Stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Listen_PortInUse_ExitsWithOneLine()
    {
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        (int code, _, string stderr) = CliRunner.Run("dicom", "listen", "--port", P(port), "--out", CliRunner.TempDir("listen-busy"), "--seconds", "1");

        Assert.Equal(1, code);
        Assert.StartsWith($"metai: cannot listen on port {port}:", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--aet", "AN-AE-TITLE-OF-17", "--aet 'AN-AE-TITLE-OF-17' is not a valid AE title")]
    [InlineData("--allow", "BAD\\TITLE", "--allow 'BAD\\TITLE' is not a valid AE title")]
    [InlineData("--seconds", "-1", "--seconds -1 must be 0")]
    public void Listen_BadOption_RefusedNamingIt(string option, string value, string message)
    {
        (int code, _, string stderr) = CliRunner.Run("dicom", "listen", "--port", P(OrthancServer.FreeTcpPort()), "--out", CliRunner.TempDir("listen-bad"), option, value);

        Assert.Equal(1, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);
}
