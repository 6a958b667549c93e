using System.Net;
using MeTAI.Dicom.Network;

namespace MeTAI.Dicom.Tests.Network;

/// <summary>
/// Our SCUs and SCP against a real PACS: Orthanc (Debian package orthanc) started on free loopback ports with its own
/// configuration, knowing our move destination. A case goes in by C-STORE, is found by C-FIND at study and series
/// level, comes back by C-GET (on the same association) and by C-MOVE (to our storage SCP), each object equal to what
/// was sent and in the syntax it was sent in.
/// </summary>
public class OrthancTests : IClassFixture<OrthancTests.Fixture>
{
    private const string OurAe = "METAI-TEST";
    private readonly Fixture _f;

    public OrthancTests(Fixture f) => _f = f;

    /// <summary>One Orthanc for the class, with the case (and a JPEG-LS slice) stored once.</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            if (OutsideTools.Missing(OrthancServer.Executable() ?? "/usr/sbin/Orthanc") is not null)
            {
                return;
            }

            MovePort = OrthancServer.FreeTcpPort();
            Orthanc = OrthancServer.Start([(OurAe, "127.0.0.1", MovePort)]);
            Peer = new DicomPeer(OrthancServer.AeTitle, "127.0.0.1", Orthanc.DicomPort);
            JpegLs = NetworkTestData.CompressedSlice(0, "dcmcjpls");
            Sent = [.. NetworkTestData.CaseFiles.Skip(1), JpegLs];
            Results = StoreScu.SendAsync(Peer, OurAe, Sent).GetAwaiter().GetResult();
            DicomDataset first = DicomFile.Open(Sent[0]).Dataset;
            PatientId = first.GetString(DicomTags.PatientID)!;
            StudyUid = first.GetString(DicomTags.StudyInstanceUID)!;
        }

        public OrthancServer? Orthanc { get; }

        public DicomPeer Peer { get; } = new("ORTHANC", "127.0.0.1", 1);

        public int MovePort { get; }

        public string JpegLs { get; } = string.Empty;

        public IReadOnlyList<string> Sent { get; } = [];

        public IReadOnlyList<StoreResult> Results { get; } = [];

        public string PatientId { get; } = string.Empty;

        public string StudyUid { get; } = string.Empty;

        public void Dispose() => Orthanc?.Dispose();
    }

    [ToolFact("/usr/sbin/Orthanc", "dcmcjpls")]
    public async Task Echo_Orthanc_Success()
    {
        Assert.Equal(DimseStatus.Success, await EchoScu.EchoAsync(_f.Peer, OurAe));
    }

    [ToolFact("/usr/sbin/Orthanc", "dcmcjpls")]
    public void Store_Case_OrthancHoldsEveryInstance()
    {
        Assert.All(_f.Results, r => Assert.True(r.Succeeded, $"{r.Path}: {r.Error}"));
        IReadOnlyList<string> held = _f.Orthanc!.SopInstanceUids();
        foreach (string sent in _f.Sent)
        {
            Assert.Contains(DicomFile.Open(sent).Dataset.GetString(DicomTags.SOPInstanceUID), held);
        }

        // The JPEG-LS slice went in its own syntax, and Orthanc keeps it so.
        Assert.Equal(DicomNetworkUids.JpegLsLossless, _f.Results[^1].TransferSyntaxUid);
        DicomFile kept = DicomFile.Read(_f.Orthanc.InstanceFile(_f.Results[^1].SopInstanceUid!));
        Assert.Equal(DicomNetworkUids.JpegLsLossless, kept.TransferSyntax.Uid);
    }

    [ToolFact("/usr/sbin/Orthanc", "dcmcjpls")]
    public async Task Find_PatientStudiesAndSeries_MatchWhatWasSent()
    {
        IReadOnlyList<DicomDataset> studies = await FindScu.FindStudiesAsync(_f.Peer, OurAe, _f.PatientId);
        IReadOnlyList<DicomDataset> series = await FindScu.FindSeriesAsync(_f.Peer, OurAe, _f.PatientId, _f.StudyUid);

        DicomDataset study = Assert.Single(studies);
        Assert.Equal(_f.StudyUid, study.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal(_f.Sent.Count, study.GetValueOrDefault(DicomTags.NumberOfStudyRelatedInstances, 0));
        Assert.Equal(["CT", "RTSTRUCT"], series.Select(s => s.GetString(DicomTags.Modality)).Order(StringComparer.Ordinal));
    }

    [ToolFact("/usr/sbin/Orthanc", "dcmcjpls")]
    public async Task Find_UnknownPatient_NoStudies()
    {
        Assert.Empty(await FindScu.FindStudiesAsync(_f.Peer, OurAe, "NO-SUCH-PATIENT"));
    }

    [ToolFact("/usr/sbin/Orthanc", "dcmcjpls")]
    public async Task Find_StudyOfAnotherPatient_Refused()
    {
        var ex = await Assert.ThrowsAsync<DicomNetworkException>(() => FindScu.FindSeriesAsync(_f.Peer, OurAe, "SOMEONE-ELSE", _f.StudyUid));
        Assert.Contains("has no study", ex.Message, StringComparison.Ordinal);
    }

    [ToolFact("/usr/sbin/Orthanc", "dcmcjpls")]
    public async Task Get_Study_EveryObjectBackAsSentInItsSyntax()
    {
        var folder = new DicomStorageFolder(NetworkTestData.TempDir("get"));
        await using DicomAssociation association = await RetrieveScu.OpenGetAsync(_f.Peer, OurAe);

        RetrieveResult result = await RetrieveScu.GetAsync(association, QueryKeys.RetrieveStudy(_f.StudyUid), folder, 1L << 30);
        await association.ReleaseAsync();

        Assert.True(result.Succeeded, $"{DimseStatus.Describe(result.Status)} {result.ErrorComment}: {result.Failed} failed");
        AssertRetrieved(result.Stored.Select(o => o.Path).ToList());
    }

    [ToolFact("/usr/sbin/Orthanc", "dcmcjpls")]
    public async Task Move_StudyToOurScp_EveryObjectArrives()
    {
        await using var scp = new ScpHost(o => new StorageScpOptions { AeTitle = OurAe, BindAddress = IPAddress.Loopback, Port = _f.MovePort }, "move");
        await using DicomAssociation association = await RetrieveScu.OpenMoveAsync(_f.Peer, OurAe);

        RetrieveResult result = await RetrieveScu.MoveAsync(association, QueryKeys.RetrieveStudy(_f.StudyUid), OurAe);
        await association.ReleaseAsync();

        Assert.True(result.Succeeded, $"{DimseStatus.Describe(result.Status)} {result.ErrorComment}: {result.Failed} failed");
        Assert.Equal(_f.Sent.Count, result.Completed);
        Assert.True(await scp.WaitUntilIdleAsync());
        Assert.All(scp.Handler.Accepted, a => Assert.Equal(OrthancServer.AeTitle, a.CallingAeTitle));
        AssertRetrieved(scp.Handler.Files());
    }

    [ToolFact("/usr/sbin/Orthanc", "dcmcjpls")]
    public async Task Move_ToADestinationOrthancDoesNotKnow_Fails()
    {
        await using DicomAssociation association = await RetrieveScu.OpenMoveAsync(_f.Peer, OurAe);

        RetrieveResult result = await RetrieveScu.MoveAsync(association, QueryKeys.RetrieveStudy(_f.StudyUid), "NOBODY");

        // Orthanc answers 0xC000 (unable to process) rather than 0xA801 (move destination unknown).
        Assert.False(result.Succeeded);
        Assert.False(DimseStatus.IsSuccessOrWarning(result.Status));
    }

    private void AssertRetrieved(IReadOnlyList<string> files)
    {
        Assert.Equal(_f.Sent.Count, files.Count);
        foreach (string sent in _f.Sent)
        {
            DicomFile original = DicomFile.Open(sent);
            string uid = original.Dataset.GetString(DicomTags.SOPInstanceUID)!;
            DicomFile back = DicomFile.Open(files.Single(f => DicomFile.Open(f).Dataset.GetString(DicomTags.SOPInstanceUID) == uid));
            Assert.Equal(original.TransferSyntax.Uid, back.TransferSyntax.Uid);
            DatasetAssert.WrittenEqual(original.Dataset, back.Dataset);
        }
    }
}
