using MeTAI.Dicom.Network;

namespace MeTAI.Dicom.Tests.Network;

/// <summary>
/// Our SCUs against dcmtk's storescp (Debian package dcmtk) on a loopback port: C-ECHO, C-STORE of a case and of
/// compressed files in their own syntax, a refused compressed syntax reported per file, and fragmenting to a small
/// maximum PDU length. What storescp wrote is compared with what we sent.
/// </summary>
public class ScuAgainstDcmtkTests
{
    [ToolFact("storescp")]
    public async Task Echo_Storescp_AnswersSuccess()
    {
        using var storescp = new StorescpServer();

        ushort status = await EchoScu.EchoAsync(DicomPeer.Parse(storescp.PeerText), "METAI");

        Assert.Equal(DimseStatus.Success, status);
    }

    [ToolFact("storescp", "dcmdump", "dcmcjpls", "dcmcrle")]
    public async Task Store_CaseAndCompressedSlices_StorescpHoldsEachAsSent()
    {
        // +xa: storescp accepts every syntax it knows, compressed ones included.
        using var storescp = new StorescpServer("+xa");
        // Slices 0 and 1 go compressed (same SOP instances), the rest of the case as written.
        string jpegLs = NetworkTestData.CompressedSlice(0, "dcmcjpls");
        string rle = NetworkTestData.CompressedSlice(1, "dcmcrle");
        List<string> files = [.. NetworkTestData.CaseFiles.Skip(2), jpegLs, rle];

        IReadOnlyList<StoreResult> results = await StoreScu.SendAsync(DicomPeer.Parse(storescp.PeerText), "METAI", files);

        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Path}: {r.Error}"));
        Assert.Equal(DicomNetworkUids.JpegLsLossless, results[^2].TransferSyntaxUid);
        Assert.Equal(DicomNetworkUids.RleLossless, results[^1].TransferSyntaxUid);
        var written = storescp.Files.ToDictionary(f => DicomFile.Open(f).Dataset.GetString(DicomTags.SOPInstanceUID)!);
        foreach (string sent in files)
        {
            DicomFile original = DicomFile.Open(sent);
            string uid = original.Dataset.GetString(DicomTags.SOPInstanceUID)!;
            Assert.True(written.ContainsKey(uid), $"storescp did not write {uid}");
            ProcessOutput dump = OutsideTools.Run("dcmdump", "-q", written[uid]);
            Assert.True(dump.ExitCode == 0 && dump.Stderr.Length == 0, dump.Output);
            DicomFile received = DicomFile.Open(written[uid]);
            Assert.Equal(original.TransferSyntax.Uid, received.TransferSyntax.Uid);
            DatasetAssert.WrittenEqual(original.Dataset, received.Dataset);
        }
    }

    [ToolFact("storescp", "dcmcjpls")]
    public async Task Store_CompressedSyntaxRefused_ThatFileFailsNamingTheReasonOthersSucceed()
    {
        // By default storescp accepts uncompressed syntaxes only: the JPEG-LS slice has no context (we never decode).
        using var storescp = new StorescpServer();
        string jpegLs = NetworkTestData.Compressed("dcmcjpls");
        string plain = NetworkTestData.CtSlices[1];

        IReadOnlyList<StoreResult> results = await StoreScu.SendAsync(DicomPeer.Parse(storescp.PeerText), "METAI", [jpegLs, plain]);

        Assert.False(results[0].Succeeded);
        Assert.Contains("transfer syntax not supported", results[0].Error, StringComparison.Ordinal);
        Assert.Contains("JPEG-LS Lossless", results[0].Error, StringComparison.Ordinal);
        Assert.True(results[1].Succeeded, results[1].Error);
        Assert.Single(storescp.Files);
    }

    [ToolFact("storescp")]
    public async Task Store_NotDicom_FailsThatFileAlone()
    {
        using var storescp = new StorescpServer();
        string junk = Path.Combine(NetworkTestData.TempDir("junk"), "notes.dcm");
        await File.WriteAllTextAsync(junk, "not a DICOM file at all, but long enough to be looked at as one..........................................................................................................");

        IReadOnlyList<StoreResult> results = await StoreScu.SendAsync(DicomPeer.Parse(storescp.PeerText), "METAI", [junk, NetworkTestData.CtSlices[0]]);

        Assert.False(results[0].Succeeded);
        Assert.Contains(junk, results[0].Error, StringComparison.Ordinal);
        Assert.True(results[1].Succeeded, results[1].Error);
    }

    [ToolFact("storescp", "dcmdump")]
    public async Task Store_PeerWithSmallMaximumPdu_DataSetFragmentedAndIntact()
    {
        // storescp announces 4096 bytes: CT_small (39 kB) and the RT Dose go in ten or more P-DATA-TF PDUs each.
        using var storescp = new StorescpServer("--max-pdu", "4096");
        string[] files = [TestFiles.Path1("CT_small.dcm"), TestFiles.Path1("rtdose.dcm")];

        IReadOnlyList<StoreResult> results = await StoreScu.SendAsync(DicomPeer.Parse(storescp.PeerText), "METAI", files);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        foreach (string f in files)
        {
            DicomFile original = DicomFile.Open(f);
            string written = storescp.Files.Single(w => DicomFile.Open(w).Dataset.GetString(DicomTags.SOPInstanceUID) == original.Dataset.GetString(DicomTags.SOPInstanceUID));
            Assert.True(original.Dataset.GetElement(DicomTags.PixelData).Value.Span.SequenceEqual(DicomFile.Open(written).Dataset.GetElement(DicomTags.PixelData).Value.Span));
        }
    }
}
