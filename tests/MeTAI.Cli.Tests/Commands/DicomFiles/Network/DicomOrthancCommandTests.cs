using System.Globalization;
using System.Text.Json;
using MeTAI.Dicom;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.DicomFiles.Network;

/// <summary>
/// The network verbs against a real PACS: Orthanc (Debian package orthanc) on free loopback ports with its own
/// configuration, holding the case <c>dicom send</c> stored once. <c>dicom find</c> lists what dcmtk's findscu finds;
/// <c>dicom retrieve</c> brings every object back as sent by C-GET and by C-MOVE to its temporary SCP; dcmtk's movescu
/// moves the study into <c>dicom listen</c>.
/// </summary>
public class DicomOrthancCommandTests : IClassFixture<DicomOrthancCommandTests.Fixture>
{
    private const string MoveAe = "METAI-MOVE";
    private const string ListenAe = "METAI-LISTEN";
    private readonly Fixture _f;

    public DicomOrthancCommandTests(Fixture f) => _f = f;

    /// <summary>One Orthanc for the class, knowing our two move destinations, with the case sent by <c>dicom send</c>.</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            if (OutsideTools.Missing("/usr/sbin/Orthanc") is not null)
            {
                return;
            }

            MovePort = OrthancServer.FreeTcpPort();
            ListenPort = OrthancServer.FreeTcpPort();
            Orthanc = OrthancServer.Start([(MoveAe, "127.0.0.1", MovePort), (ListenAe, "127.0.0.1", ListenPort)]);
            Send = CliRunner.Run("dicom", "send", "--to", Orthanc.ToString(), NetworkCase.Folder);
        }

        public OrthancServer? Orthanc { get; }

        public int MovePort { get; }

        public int ListenPort { get; }

        public (int Code, string Stdout, string Stderr) Send { get; }

        public string Peer => Orthanc!.ToString();

        public void Dispose() => Orthanc?.Dispose();
    }

    [ToolFact("/usr/sbin/Orthanc")]
    public void Send_CaseToOrthanc_OrthancHoldsEveryInstance()
    {
        Assert.True(_f.Send.Code == 0, _f.Send.Stderr + _f.Send.Stdout);
        Assert.Equal(NetworkCase.Files.Select(NetworkCase.SopInstance).Order(StringComparer.Ordinal), _f.Orthanc!.SopInstanceUids().Order(StringComparer.Ordinal));
    }

    [ToolFact("/usr/sbin/Orthanc", "findscu")]
    public void Find_Patient_ListingMatchesDcmtkFindscu()
    {
        string dir = CliRunner.TempDir("find");

        (int code, string stdout, string stderr) = CliRunner.Run("dicom", "find", "--from", _f.Peer, "--patient", NetworkCase.PatientId, "--out", dir);

        Assert.True(code == 0, stderr + stdout);
        string file = Path.Combine(dir, $"find-{NetworkCase.PatientId}.json");
        Assert.Contains($"wrote {file}", stdout, StringComparison.Ordinal);
        using JsonDocument listing = JsonDocument.Parse(File.ReadAllText(file));
        JsonElement study = Assert.Single(listing.RootElement.GetProperty("studies").EnumerateArray());
        string[] ourSeries = [.. study.GetProperty("series").EnumerateArray()
            .Select(s => $"{s.GetProperty("seriesInstanceUid").GetString()} {s.GetProperty("modality").GetString()} {s.GetProperty("numberOfInstances").GetInt32()}").Order(StringComparer.Ordinal)];

        List<DicomDataset> studies = Findscu("STUDY", "PatientID=" + NetworkCase.PatientId, "StudyInstanceUID");
        List<DicomDataset> series = Findscu("SERIES", "StudyInstanceUID=" + NetworkCase.StudyUid, "SeriesInstanceUID", "Modality", "NumberOfSeriesRelatedInstances");

        Assert.Equal([NetworkCase.StudyUid], studies.Select(s => s.GetString(DicomTags.StudyInstanceUID)));
        Assert.Equal(NetworkCase.StudyUid, study.GetProperty("studyInstanceUid").GetString());
        Assert.Equal(NetworkCase.Files.Count, study.GetProperty("numberOfInstances").GetInt32());
        Assert.Equal(series.Select(s => $"{s.GetString(DicomTags.SeriesInstanceUID)} {s.GetString(DicomTags.Modality)} {s.GetString(DicomTags.NumberOfSeriesRelatedInstances)}").Order(StringComparer.Ordinal), ourSeries);
        Assert.Equal(2, ourSeries.Length);
        Assert.Contains($"series {series[0].GetString(DicomTags.SeriesInstanceUID)}", stdout, StringComparison.Ordinal);
    }

    [ToolFact("/usr/sbin/Orthanc")]
    public void Find_UnknownPatient_NoStudiesExit0()
    {
        string dir = CliRunner.TempDir("find-none");

        (int code, string stdout, string stderr) = CliRunner.Run("dicom", "find", "--from", _f.Peer, "--patient", "NO-SUCH-PATIENT", "--out", dir, "--json");

        Assert.True(code == 0, stderr);
        using JsonDocument printed = JsonDocument.Parse(stdout);
        Assert.Empty(printed.RootElement.GetProperty("studies").EnumerateArray());
        Assert.Equal(stdout.Trim(), File.ReadAllText(Path.Combine(dir, "find-NO-SUCH-PATIENT.json")).Trim());
    }

    [ToolFact("/usr/sbin/Orthanc")]
    public void Retrieve_Get_CaseBackAsSentLaidOutAsACase()
    {
        string dir = CliRunner.TempDir("retrieve-get");

        (int code, string stdout, string stderr) = CliRunner.Run("dicom", "retrieve", "--from", _f.Peer, "--patient", NetworkCase.PatientId, "--out", dir);

        Assert.True(code == 0, stderr + stdout);
        string study = Path.Combine(dir, NetworkCase.StudyUid);
        Assert.Contains($"retrieved study {NetworkCase.StudyUid} (C-GET): 16 objects (CT 15, RTSTRUCT 1) into {study}", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(study, "rtstruct.dcm")));
        NetworkCase.AssertSameObjects(NetworkCase.Files, NetworkCase.DicomFilesIn(dir));
    }

    [ToolFact("/usr/sbin/Orthanc")]
    public void Retrieve_MoveToOurTemporaryScp_CaseBackAsSent()
    {
        string dir = CliRunner.TempDir("retrieve-move");

        (int code, string stdout, string stderr) = CliRunner.Run("dicom", "retrieve", "--from", _f.Peer, "--patient", NetworkCase.PatientId, "--study", NetworkCase.StudyUid,
            "--out", dir, "--move-to", MoveAe, "--port", _f.MovePort.ToString(CultureInfo.InvariantCulture));

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"retrieved study {NetworkCase.StudyUid} (C-MOVE): 16 objects (CT 15, RTSTRUCT 1)", stdout, StringComparison.Ordinal);
        NetworkCase.AssertSameObjects(NetworkCase.Files, NetworkCase.DicomFilesIn(dir));
    }

    [ToolFact("/usr/sbin/Orthanc", "movescu")]
    public void Movescu_StudyToDicomListen_EveryObjectArrivesAsSent()
    {
        string dir = CliRunner.TempDir("listen-move");
        using var listen = new CliProcess("dicom", "listen", "--port", _f.ListenPort.ToString(CultureInfo.InvariantCulture), "--aet", ListenAe, "--out", dir, "--allow", OrthancServer.AeTitle);
        listen.WaitFor("listening as " + ListenAe);

        ProcessOutput move = OutsideTools.Run("movescu", "-S", "-aet", "MOVESCU", "-aec", OrthancServer.AeTitle, "-aem", ListenAe,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + NetworkCase.StudyUid, "127.0.0.1", _f.Orthanc!.DicomPort.ToString(CultureInfo.InvariantCulture));
        listen.WaitFor("released: 16 objects stored");
        int code = listen.Terminate();

        Assert.True(move.ExitCode == 0, move.Output);
        Assert.Equal(0, code);
        Assert.Contains($"from {OrthancServer.AeTitle} released: 16 objects stored", listen.Stdout, StringComparison.Ordinal);
        NetworkCase.AssertSameObjects(NetworkCase.Files, NetworkCase.DicomFilesIn(dir));
    }

    [ToolFact("/usr/sbin/Orthanc")]
    public void Retrieve_UnknownPatient_Exit1NamingIt()
    {
        (int code, _, string stderr) = CliRunner.Run("dicom", "retrieve", "--from", _f.Peer, "--patient", "NO-SUCH-PATIENT", "--out", CliRunner.TempDir("retrieve-none"));

        Assert.Equal(1, code);
        Assert.Contains($"{_f.Peer} has no study of patient 'NO-SUCH-PATIENT'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--move-to", "METAI-MOVE" }, "--move-to needs --port P")]
    [InlineData(new[] { "--port", "11112" }, "--port goes with --move-to")]
    [InlineData(new[] { "--patient", "PAT*" }, "without wildcards")]
    public void Retrieve_BadOptions_RefusedBeforeAnyAssociation(string[] options, string message)
    {
        string[] args = ["dicom", "retrieve", "--from", "PACS@127.0.0.1:1", "--out", CliRunner.TempDir("retrieve-bad"), .. options];
        if (!options.Contains("--patient"))
        {
            args = [.. args, "--patient", "P1"];
        }

        (int code, _, string stderr) = CliRunner.Run(args);

        Assert.Equal(1, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    /// <summary>dcmtk's findscu (Study Root) at <paramref name="level"/> with keys; its responses, extracted to files.</summary>
    private List<DicomDataset> Findscu(string level, params string[] keys)
    {
        string dir = CliRunner.TempDir("findscu");
        List<string> args = ["-S", "-aet", "FINDSCU", "-aec", OrthancServer.AeTitle, "-X", "-od", dir, "-k", "QueryRetrieveLevel=" + level];
        foreach (string k in keys)
        {
            args.AddRange(["-k", k]);
        }

        ProcessOutput r = OutsideTools.Run("findscu", [.. args, "127.0.0.1", _f.Orthanc!.DicomPort.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(r.ExitCode == 0, r.Output);
        return [.. Directory.EnumerateFiles(dir, "rsp*.dcm").Order(StringComparer.Ordinal).Select(NetworkCase.Dataset)];
    }
}
