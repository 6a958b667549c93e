using MeTAI.Benchmarks.Dicom;
using MeTAI.TestUtilities;

namespace MeTAI.Benchmarks.Tests.Dicom;

/// <summary>The synthetic CT series that <c>bench dicom</c> reads, as written by our codec, checked by dcmtk's dcmdump and dicom3tools' dciodvfy.</summary>
public sealed class SyntheticCtSeriesOutsideToolsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metai-bench-ct-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [ToolFact("dcmdump")]
    public void Write_SyntheticCt_DcmdumpParsesWithoutWarnings()
    {
        string path = Path.Combine(_dir, "ct.dcm");
        new SyntheticCtSeries(64).CreateSlice(3).Save(path);
        string dump = DicomValidators.AssertDcmdumpClean(path);
        Assert.Contains("(0002,0010) UI =LittleEndianExplicit", dump, StringComparison.Ordinal);
        Assert.Contains("(7fe0,0010) OW", dump, StringComparison.Ordinal);
    }

    [ToolFact("dciodvfy")]
    public void Write_SyntheticCt_DciodvfyReportsNoErrors()
    {
        string path = Path.Combine(_dir, "ct.dcm");
        new SyntheticCtSeries(64).CreateSlice(0).Save(path);
        string output = DicomValidators.AssertDciodvfyClean(path);
        Assert.Contains("CTImage", output, StringComparison.Ordinal);
    }
}
