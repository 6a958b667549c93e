using MeTAI.Benchmarks.Dicom;
using MeTAI.Dicom;
using MeTAI.Dicom.Imaging;

namespace MeTAI.Benchmarks.Tests.Dicom;

public sealed class DicomBenchmarkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metai-dicom-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Run_SmallSeries_ReportsBytesTimeAndThroughput()
    {
        DicomBenchmarkResult r = DicomBenchmark.Run(_dir, slices: 4, size: 32, runs: 2);
        Assert.Equal(4, r.Files);
        Assert.Equal(Directory.GetFiles(_dir, "CT*.dcm").Sum(f => new FileInfo(f).Length), r.Bytes);
        Assert.True(r.Seconds > 0 && r.MbPerSecond > 0);
        Assert.Equal(r.Bytes / 1e6 / r.Seconds, r.MbPerSecond, 6);
    }

    [Fact]
    public void Generate_WritesASeriesWhosePixelsAreTheHuImage()
    {
        string[] files = DicomBenchmark.Generate(_dir, 3, 16);
        var series = new SyntheticCtSeries(16);
        DicomFile slice = DicomFile.Open(files[2]);
        Assert.Equal(DicomUid.CTImageStorage, slice.Dataset.GetString(DicomTags.SOPClassUID));
        Assert.Equal(3, slice.Dataset.GetSingleValue<int>(DicomTags.InstanceNumber));
        Assert.Equal(series.SlicePixels(2), DicomPixelData.Create(slice).GetFrame<short>(0));
        Assert.Equal(4.0, slice.Dataset.GetValues<double>(DicomTags.ImagePositionPatient)[2]);
    }
}
