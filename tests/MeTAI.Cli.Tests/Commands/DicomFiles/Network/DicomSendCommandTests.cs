using System.Globalization;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.DicomFiles.Network;

/// <summary>
/// <c>metai dicom send</c> into dcmtk's storescp: a case folder arrives whole with one line per file; a file the peer
/// refuses (a JPEG-LS slice to a storescp that takes uncompressed data only) and one that is not DICOM fail alone, are
/// named, and make the exit code 1; no peer and a malformed peer are one line each.
/// </summary>
public class DicomSendCommandTests
{
    [ToolFact("storescp")]
    public void Send_CaseFolderToStorescp_EveryFileStoredOneLineEach()
    {
        using var storescp = new StorescpServer();

        (int code, string stdout, string stderr) = CliRunner.Run("dicom", "send", "--to", storescp.PeerText, "--aet", "METAI-TX", NetworkCase.Folder);

        Assert.True(code == 0, stderr + stdout);
        NetworkCase.AssertSameObjects(NetworkCase.Files, storescp.Files);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string file in NetworkCase.Files)
        {
            Assert.Contains(lines, l => l.StartsWith($"sent {file}: ", StringComparison.Ordinal) && l.EndsWith(": 0x0000 (success)", StringComparison.Ordinal));
        }

        Assert.Equal($"sent 16 of 16 files to {storescp.PeerText}", lines[^1]);
    }

    [ToolFact("storescp", "dcmcjpls")]
    public void Send_AFileRefusedAndOneNotDicom_OthersStoredExit1NamingBoth()
    {
        using var storescp = new StorescpServer();
        string dir = CliRunner.TempDir("send-mixed");
        string jpegLs = Path.Combine(dir, "CT.jpegls.dcm");
        ProcessOutput compress = OutsideTools.Run("dcmcjpls", NetworkCase.Files[0], jpegLs);
        Assert.True(compress.ExitCode == 0, compress.Output);
        string notes = Path.Combine(dir, "notes.txt");
        File.WriteAllText(notes, "not DICOM\n");

        (int code, string stdout, string stderr) = CliRunner.Run("dicom", "send", "--to", storescp.PeerText, jpegLs, notes, NetworkCase.Files[1], NetworkCase.Files[^1]);

        Assert.Equal(1, code);
        NetworkCase.AssertSameObjects([NetworkCase.Files[1], NetworkCase.Files[^1]], storescp.Files);
        Assert.Contains($"FAILED {jpegLs}: ", stdout, StringComparison.Ordinal);
        Assert.Contains("JPEG-LS", stdout, StringComparison.Ordinal);
        Assert.Contains($"FAILED {notes}: ", stdout, StringComparison.Ordinal);
        Assert.StartsWith($"metai: 2 files not stored by {storescp.PeerText}: {jpegLs}: ", stderr, StringComparison.Ordinal);
        Assert.Contains($"; {notes}: ", stderr, StringComparison.Ordinal);
        Assert.Contains("sent 2 of 4 files", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_NothingListening_Exit1OneLine()
    {
        int port = OrthancServer.FreeTcpPort();

        (int code, _, string stderr) = CliRunner.Run("dicom", "send", "--to", $"NOBODY@127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", NetworkCase.Files[^1]);

        Assert.Equal(1, code);
        Assert.StartsWith("metai: ", stderr, StringComparison.Ordinal);
        Assert.Contains(port.ToString(CultureInfo.InvariantCulture), stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("pacs.example.org:104", "'pacs.example.org:104' is not AET@HOST:PORT")]
    [InlineData("PACS@pacs.example.org:70000", "port '70000' is not a TCP port")]
    public void Send_MalformedPeer_RefusedNamingIt(string peer, string message)
    {
        (int code, _, string stderr) = CliRunner.Run("dicom", "send", "--to", peer, NetworkCase.Files[^1]);

        Assert.Equal(1, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_MissingPath_RefusedNamingIt()
    {
        (int code, _, string stderr) = CliRunner.Run("dicom", "send", "--to", "PACS@127.0.0.1:104", "/no/such/folder");

        Assert.Equal(1, code);
        Assert.Contains("/no/such/folder: no such file or directory", stderr, StringComparison.Ordinal);
    }
}
