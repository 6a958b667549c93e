using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Tests.Rt;

public class CtSeriesTests
{
    [Fact]
    public void WriteRead_Phantom_GridAndUidsIdentical()
    {
        CtSeries ct = RtTestData.Ct();
        string dir = RtTestData.TempDir("ct");

        IReadOnlyList<string> files = CtSeriesWriter.Write(ct, dir, RtTestData.Created);
        CtSeries back = CtSeriesReader.Read(dir);

        Assert.Equal(ct.Geometry.SizeZ, files.Count);
        Assert.True(back.Geometry.SameAs(ct.Geometry), $"{back.Geometry} vs {ct.Geometry}");
        Assert.Equal(ct.Hu.Data, back.Hu.Data);
        Assert.Equal(ct.SopInstanceUids, back.SopInstanceUids);
        Assert.Equal(ct.SeriesInstanceUid, back.SeriesInstanceUid);
        Assert.Equal(ct.FrameOfReferenceUid, back.FrameOfReferenceUid);
        Assert.Equal(ct.PatientStudy, back.PatientStudy);
        Assert.Equal("HFS", back.PatientPosition);
    }

    [Fact]
    public void FromDatasets_ShuffledSlices_SortedAlongNormal()
    {
        CtSeries ct = RtTestData.Ct();
        var datasets = CtSeriesWriter.ToDatasets(ct).Select((d, k) => ($"CT.{k + 1}.dcm", d)).Reverse().ToList();
        (datasets[0], datasets[3]) = (datasets[3], datasets[0]);

        CtSeries back = CtSeriesReader.FromDatasets(datasets);

        Assert.Equal(ct.Hu.Data, back.Hu.Data);
        Assert.Equal(ct.SopInstanceUids, back.SopInstanceUids);
        Assert.Equal("CT.1.dcm", back.SourceFiles[0]);
    }

    [Fact]
    public void FromDatasets_ObliqueFeetFirstOrientation_UsesCrossProductNormal()
    {
        // Row direction along −L rotated 30° about S, column direction +P: the slice normal is their cross product.
        double a = Math.PI / 6;
        var row = new Vec3(-Math.Cos(a), -Math.Sin(a), 0);
        var col = new Vec3(-Math.Sin(a), Math.Cos(a), 0);
        Vec3 normal = Vec3.Cross(row, col);
        var g = new GridGeometry(6, 5, 4, new Vec3(1.5, 2, 3), new Vec3(5, 6, 7), Mat3.FromColumns(row, col, normal));
        var hu = new VoxelGrid<short>(g);
        for (int n = 0; n < hu.Data.Length; n++)
        {
            hu.Data[n] = (short)(n * 13 - 700);
        }

        CtSeries ct = CtSeries.Create(hu);
        CtSeries back = CtSeriesReader.FromDatasets(CtSeriesWriter.ToDatasets(ct).Select((d, k) => ($"s{k}", d)).Reverse());

        Assert.True(back.Geometry.SameAs(g));
        Assert.Equal(hu.Data, back.Hu.Data);
    }

    [Fact]
    public void FromDatasets_RescaleSlopeIntercept_AppliedToGiveHu()
    {
        DicomDataset ds = OneSlice();
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, 0);
        ds.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, -1024.0);
        ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 2.0);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, 12);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[] { 0x00, 0x00, 0x00, 0x02, 0xFF, 0xFF, 0x10, 0x00 });

        CtSeries ct = CtSeriesReader.FromDatasets([("a.dcm", ds)]);

        // 0 → −1024; 512 → 0; 0xFFFF masked to 12 bits = 4095 → 7166; 16 → −992.
        Assert.Equal(new short[] { -1024, 0, 7166, -992 }, ct.Hu.Data);
    }

    [Fact]
    public void FromDatasets_HuOutOfRange_ErrorNamesFileUnlessClamped()
    {
        DicomDataset ds = OneSlice();
        ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 100.0);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[] { 1, 0, 2, 0, 3, 0, 0x90, 0x01 });

        DicomFormatException ex = Assert.Throws<DicomFormatException>(() => CtSeriesReader.FromDatasets([("big.dcm", ds)]));
        Assert.Contains("big.dcm", ex.Message, StringComparison.Ordinal);
        Assert.Contains("16-bit range", ex.Message, StringComparison.Ordinal);

        CtSeries clamped = CtSeriesReader.FromDatasets([("big.dcm", ds)], clampHu: true);
        Assert.Equal(short.MaxValue, clamped.Hu.Data.Max());
    }

    [Fact]
    public void FromDatasets_TwoSeriesWithoutChoice_ErrorListsThem()
    {
        var a = CtSeriesWriter.ToDatasets(RtTestData.Ct(8)).Select((d, k) => ($"a{k}", d));
        CtSeries second = RtTestData.Ct(8);
        var b = CtSeriesWriter.ToDatasets(second).Select((d, k) => ($"b{k}", d));
        var all = a.Concat(b).ToList();

        DicomFormatException ex = Assert.Throws<DicomFormatException>(() => CtSeriesReader.FromDatasets(all));
        Assert.Contains("2 CT series", ex.Message, StringComparison.Ordinal);
        Assert.Contains(second.SeriesInstanceUid, ex.Message, StringComparison.Ordinal);

        CtSeries chosen = CtSeriesReader.FromDatasets(all, second.SeriesInstanceUid);
        Assert.Equal(second.SopInstanceUids, chosen.SopInstanceUids);
    }

    [Theory]
    [InlineData("duplicate")]
    [InlineData("gap")]
    [InlineData("orientation")]
    [InlineData("rows")]
    [InlineData("spacing")]
    [InlineData("shear")]
    public void FromDatasets_InconsistentSlice_ErrorNamesFileAndField(string fault)
    {
        var slices = CtSeriesWriter.ToDatasets(RtTestData.Ct(8)).Select((d, k) => (Source: $"CT.{k + 1}.dcm", Dataset: d)).ToList();
        DicomDataset bad = slices[2].Dataset;
        double[] ipp = bad.GetValues<double>(DicomTags.ImagePositionPatient);
        string field;
        switch (fault)
        {
            case "duplicate":
                bad.AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, slices[1].Dataset.GetValues<double>(DicomTags.ImagePositionPatient));
                field = "ImagePositionPatient";
                break;
            case "gap":
                slices.RemoveAt(3);
                field = "ImagePositionPatient";
                break;
            case "orientation":
                bad.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0, 0, 0, 0, -1);
                field = "ImageOrientationPatient";
                break;
            case "rows":
                bad.AddOrUpdate(DicomTags.Rows, DicomVR.US, 7);
                field = "Rows";
                break;
            case "spacing":
                bad.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 8.0, 8.5);
                field = "PixelSpacing";
                break;
            default:
                bad.AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, ipp[0] + 1, ipp[1], ipp[2]);
                field = "ImagePositionPatient";
                break;
        }

        DicomFormatException ex = Assert.Throws<DicomFormatException>(() => CtSeriesReader.FromDatasets(slices));
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Matches(@"CT\.\d+\.dcm", ex.Message);
    }

    [Fact]
    public void Read_PydicomCtSmall_GivesHuAndGeometry()
    {
        // pydicom's CT_small.dcm: 128×128, 0.661468 mm pixels, signed 16-bit with intercept −1024; pixel (0,0) = 175.
        CtSeries ct = CtSeriesReader.Read(TestFiles.Path1("CT_small.dcm"));

        Assert.Equal((128, 128, 1), (ct.Geometry.SizeX, ct.Geometry.SizeY, ct.Geometry.SizeZ));
        Assert.Equal(0.661468, ct.Geometry.SpacingMm.X, 9);
        Assert.Equal(new Vec3(-158.135803, -179.035797, -75.699997), ct.Geometry.OriginLps);
        Assert.Equal(175 - 1024, ct.Hu[0, 0, 0]);
        Assert.Equal(1928 - 1024, ct.Hu[64, 64, 0]);
        Assert.Equal("1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322", ct.SeriesInstanceUid);
    }

    [Fact]
    public void Read_DirectoryWithOtherFiles_SkipsNonDicomAndOtherModalities()
    {
        CtSeries ct = RtTestData.Ct(8);
        string dir = RtTestData.TempDir("ct-mixed");
        CtSeriesWriter.Write(ct, Path.Combine(dir, "ct"));
        File.WriteAllText(Path.Combine(dir, "README.txt"), "not DICOM");
        File.Copy(TestFiles.Path1("rtplan.dcm"), Path.Combine(dir, "plan.dcm"));

        CtSeries back = CtSeriesReader.Read(dir);

        Assert.Equal(ct.SopInstanceUids, back.SopInstanceUids);
    }

    private static DicomDataset OneSlice()
    {
        var g = new GridGeometry(2, 2, 1, new Vec3(1, 1, 2), Vec3.Zero);
        var hu = new VoxelGrid<short>(g, [1, 2, 3, 4]);
        return CtSeriesWriter.ToDatasets(CtSeries.Create(hu))[0];
    }
}
