using MeTAI.Dicom.Network;

namespace MeTAI.Dicom.Tests.Network;

/// <summary>
/// dcmtk's SCUs (echoscu, storescu; Debian package dcmtk) against our storage SCP on a loopback port: verification,
/// storage in several transfer syntaxes (uncompressed explicit and implicit, RLE, JPEG lossless, JPEG-LS, JPEG 2000),
/// the calling-AE allow-list, and SOP classes we refuse. What is stored is read back with dcmdump and compared with
/// what was sent element by element (fragments byte for byte).
/// </summary>
public class DcmtkAgainstScpTests
{
    [ToolFact("echoscu")]
    public async Task Echoscu_AllowedCaller_EchoSucceeds()
    {
        await using var scp = new ScpHost(o => new StorageScpOptions { AeTitle = o.AeTitle, BindAddress = o.BindAddress, AllowedCallingAeTitles = ["ECHOER"] });

        ProcessOutput r = OutsideTools.Run("echoscu", "-aet", "ECHOER", "-aec", ScpHost.AeTitle, "127.0.0.1", Port(scp));

        Assert.True(r.ExitCode == 0, r.Output);
        scp.Handler.WaitForEnded(1);
        Assert.Equal(1, scp.Handler.Echoes);
        Assert.True(Assert.Single(scp.Handler.Ended).Released);
    }

    [ToolFact("echoscu")]
    public async Task Echoscu_CallerNotInAllowList_IsRejectedNamingTheTitle()
    {
        await using var scp = new ScpHost(o => new StorageScpOptions { AeTitle = o.AeTitle, BindAddress = o.BindAddress, AllowedCallingAeTitles = ["ECHOER"] });

        ProcessOutput r = OutsideTools.Run("echoscu", "-aet", "INTRUDER", "-aec", ScpHost.AeTitle, "127.0.0.1", Port(scp));

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Association Rejected", r.Output, StringComparison.Ordinal);
        Assert.Contains("Calling AE Title Not Recognized", r.Output, StringComparison.OrdinalIgnoreCase);
        scp.Handler.WaitForEnded(1);
        string refusal = Assert.Single(scp.Handler.Refusals);
        Assert.Contains("'INTRUDER' is not in the allow-list", refusal, StringComparison.Ordinal);
    }

    [ToolFact("echoscu")]
    public async Task Echoscu_WrongCalledTitle_IsRejected()
    {
        await using var scp = new ScpHost();

        ProcessOutput r = OutsideTools.Run("echoscu", "-aet", "ECHOER", "-aec", "SOMEONE-ELSE", "127.0.0.1", Port(scp));

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", r.Output, StringComparison.OrdinalIgnoreCase);
    }

    [ToolFact("storescu", "dcmdump")]
    public async Task Storescu_CaseInExplicitVR_EveryObjectStoredWholeInTheCaseLayout()
    {
        await using var scp = new ScpHost();
        IReadOnlyList<string> files = NetworkTestData.CaseFiles;

        ProcessOutput r = OutsideTools.Run("storescu", ["-aet", "STORESCU", "-aec", ScpHost.AeTitle, "127.0.0.1", Port(scp), .. files]);

        Assert.True(r.ExitCode == 0, r.Output);
        scp.Handler.WaitForEnded(1);
        Assert.Equal(files.Count, scp.Handler.Stored.Count);
        string study = DicomFile.Open(files[0]).Dataset.GetString(DicomTags.StudyInstanceUID)!;
        foreach (string sent in files)
        {
            DicomFile original = DicomFile.Open(sent);
            string uid = original.Dataset.GetString(DicomTags.SOPInstanceUID)!;
            string expected = original.Dataset.GetString(DicomTags.Modality) == "CT"
                ? Path.Combine(scp.Root, study, "ct", $"CT.{uid}.dcm")
                : Path.Combine(scp.Root, study, "rtstruct.dcm");
            AssertStoredAs(original, expected, DicomNetworkUids.ExplicitVRLittleEndian, "STORESCU");
        }

        Assert.Empty(scp.Handler.SpoolFiles());
    }

    [ToolFact("storescu", "dcmdump")]
    public async Task Storescu_ImplicitVROnly_StoredInImplicitVRWithTheSameValues()
    {
        await using var scp = new ScpHost();
        string slice = NetworkTestData.CtSlices[0];

        ProcessOutput r = OutsideTools.Run("storescu", "-xi", "-aet", "STORESCU", "-aec", ScpHost.AeTitle, "127.0.0.1", Port(scp), slice);

        Assert.True(r.ExitCode == 0, r.Output);
        scp.Handler.WaitForEnded(1);
        ReceivedObject stored = Assert.Single(scp.Handler.Stored);
        Assert.Equal(DicomNetworkUids.ImplicitVRLittleEndian, stored.TransferSyntaxUid);
        AssertStoredAs(DicomFile.Open(slice), stored.Path, DicomNetworkUids.ImplicitVRLittleEndian, "STORESCU");
    }

    [ToolTheory("storescu", "dcmdump", "dcmcjpeg", "dcmcjpls", "dcmcrle", "gdcmconv")]
    [InlineData("dcmcrle", "", "-xr", DicomNetworkUids.RleLossless)]
    [InlineData("dcmcjpeg", "+e1", "-xs", DicomNetworkUids.JpegLosslessSV1)]
    [InlineData("dcmcjpls", "+el", "-xt", DicomNetworkUids.JpegLsLossless)]
    [InlineData("gdcmconv", "--jpegls --lossy", "-xu", DicomNetworkUids.JpegLsNearLossless)]
    [InlineData("gdcmconv", "--j2k", "-xv", DicomNetworkUids.Jpeg2000Lossless)]
    [InlineData("gdcmconv", "--j2k --lossy", "-xw", DicomNetworkUids.Jpeg2000)]
    public async Task Storescu_CompressedCtSlice_StoredAsReceivedFragmentsIntact(string tool, string option, string propose, string syntax)
    {
        string compressed = NetworkTestData.Compressed(tool, option.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(syntax, NetworkTestData.SyntaxOf(compressed));
        await using var scp = new ScpHost();

        // storescu proposes uncompressed syntaxes unless told (-xr, -xs …) and would try to decompress; -R: only the
        // contexts the file needs.
        ProcessOutput r = OutsideTools.Run("storescu", "-R", propose, "-aet", "STORESCU", "-aec", ScpHost.AeTitle, "127.0.0.1", Port(scp), compressed);

        Assert.True(r.ExitCode == 0, r.Output);
        scp.Handler.WaitForEnded(1);
        ReceivedObject stored = Assert.Single(scp.Handler.Stored);
        Assert.Equal(syntax, stored.TransferSyntaxUid);
        AssertStoredAs(DicomFile.Open(compressed), stored.Path, syntax, "STORESCU");
    }

    [ToolTheory("storescu", "dcmdump")]
    [InlineData("MR_small_jp2klossless.dcm", "-xv", DicomNetworkUids.Jpeg2000Lossless)]
    [InlineData("MR_small_RLE.dcm", "-xr", DicomNetworkUids.RleLossless)]
    [InlineData("MR_small_implicit.dcm", "-xi", DicomNetworkUids.ImplicitVRLittleEndian)]
    public async Task Storescu_PydicomMr_StoredInItsSyntaxUnderMr(string name, string propose, string syntax)
    {
        string file = TestFiles.Path1(name);
        await using var scp = new ScpHost();

        ProcessOutput r = OutsideTools.Run("storescu", "-R", propose, "-aet", "STORESCU", "-aec", ScpHost.AeTitle, "127.0.0.1", Port(scp), file);

        Assert.True(r.ExitCode == 0, r.Output);
        scp.Handler.WaitForEnded(1);
        ReceivedObject stored = Assert.Single(scp.Handler.Stored);
        Assert.Equal(syntax, stored.TransferSyntaxUid);
        Assert.Equal("MR", Path.GetFileName(Path.GetDirectoryName(stored.Path)!).ToUpperInvariant());
        AssertStoredAs(DicomFile.Open(file), stored.Path, syntax, "STORESCU");
    }

    [ToolFact("storescu")]
    public async Task Storescu_SecondaryCapture_IsRefusedAndNothingWritten()
    {
        await using var scp = new ScpHost();

        // JPEG2000.dcm is a Secondary Capture image: not a SOP class we model, so its presentation context is refused.
        ProcessOutput r = OutsideTools.Run("storescu", "-aet", "STORESCU", "-aec", ScpHost.AeTitle, "127.0.0.1", Port(scp), TestFiles.Path1("JPEG2000.dcm"));

        Assert.Contains("no presentation context", r.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(scp.Handler.Files());
    }

    private static string Port(ScpHost scp) => scp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The file exists, dcmdump reads it cleanly, its meta names the syntax and the sender, and its dataset equals the original's.</summary>
    internal static void AssertStoredAs(DicomFile original, string path, string syntax, string sourceAe)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        ProcessOutput dump = OutsideTools.Run("dcmdump", "-q", path);
        Assert.True(dump.ExitCode == 0 && !dump.Stderr.Contains("E: ", StringComparison.Ordinal), $"dcmdump {path}: {dump.Output}");
        DicomFile stored = DicomFile.Open(path);
        Assert.Equal(syntax, stored.FileMetaInformation.GetString(DicomTags.TransferSyntaxUID));
        Assert.Equal(sourceAe, stored.FileMetaInformation.GetString(DicomTags.SourceApplicationEntityTitle));
        Assert.Equal(original.Dataset.GetString(DicomTags.SOPInstanceUID), stored.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
        SameContent(original.Dataset, stored.Dataset, string.Empty);
    }

    /// <summary>
    /// The stored dataset holds what the original does, as dcmtk sends it: the same elements (but Dataset Trailing
    /// Padding, which storescu drops), text equal per value once padding is trimmed (storescu trims "DERIVED " inside a
    /// multi-valued CS), binary values and compressed fragments byte for byte.
    /// </summary>
    private static void SameContent(DicomDataset expected, DicomDataset actual, string path)
    {
        var exp = expected.Where(e => e.Tag != new DicomTag(0xFFFC, 0xFFFC) && !e.Tag.IsGroupLength).ToList();
        var act = actual.ToList();
        Assert.True(exp.Select(e => e.Tag).SequenceEqual(act.Select(e => e.Tag)), $"{path}: tags differ");
        for (int i = 0; i < exp.Count; i++)
        {
            string where = path + exp[i].Tag;
            switch (exp[i])
            {
                case DicomSequence sq:
                    var sa = Assert.IsType<DicomSequence>(act[i]);
                    Assert.Equal(sq.Items.Count, sa.Items.Count);
                    for (int k = 0; k < sq.Items.Count; k++)
                    {
                        SameContent(sq.Items[k], sa.Items[k], $"{where}[{k}].");
                    }

                    break;
                case DicomFragmentSequence f:
                    var fa = Assert.IsType<DicomFragmentSequence>(act[i]);
                    Assert.Equal(f.Fragments.Count, fa.Fragments.Count);
                    for (int k = 0; k < f.Fragments.Count; k++)
                    {
                        Assert.True(f.Fragments[k].Span.SequenceEqual(fa.Fragments[k].Span), $"{where} fragment {k} differs");
                    }

                    break;
                case { VR.IsText: true }:
                    Assert.True(expected.GetStrings(exp[i].Tag).Select(v => v.Trim()).SequenceEqual(actual.GetStrings(act[i].Tag).Select(v => v.Trim())), $"{where}: text differs");
                    break;
                default:
                    Assert.True(exp[i].Value.Span.SequenceEqual(act[i].Value.Span), $"{where}: value bytes differ");
                    break;
            }
        }
    }
}
