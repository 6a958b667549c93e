using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Tests.Rt;

public class RtDoseWriterTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    public void WriteRead_Dose_ValuesWithinScalingStep(int bits)
    {
        CtSeries ct = RtTestData.Ct();
        RtDose dose = RtTestData.Dose(ct.Geometry) with { FrameOfReferenceUid = ct.FrameOfReferenceUid };
        string path = Path.Combine(RtTestData.TempDir("dose"), "rtdose.dcm");

        RtDoseWriter.Write(dose, path, RtTestData.Created, bits);
        RtDose back = RtDoseReader.Read(path);

        Assert.True(back.Dose.Geometry.SameAs(ct.Geometry));
        Assert.Equal(("GY", "PHYSICAL", "PLAN"), (back.DoseUnits, back.DoseType, back.DoseSummationType));
        Assert.Equal(dose.ReferencedPlanUid, back.ReferencedPlanUid);
        Assert.Equal(dose.FrameOfReferenceUid, back.FrameOfReferenceUid);
        float max = dose.MaxDose();
        for (int n = 0; n < dose.Dose.Data.Length; n++)
        {
            // The maximum maps near the top of the pixel range: error ≤ half a step (max/1.2e5 for 16 bits,
            // max/8e9 for 32 bits), plus float rounding.
            double step = bits == 16 ? max / 0.9 / ushort.MaxValue : max * 4e-9;
            Assert.True(Math.Abs(dose.Dose.Data[n] - back.Dose.Data[n]) <= step / 2 + Math.Abs(dose.Dose.Data[n]) * 1.2e-7, $"voxel {n}: {dose.Dose.Data[n]} vs {back.Dose.Data[n]}");
        }
    }

    [Fact]
    public void WriteRead_NegativeValues_UsesSignedPixels()
    {
        var g = new GridGeometry(3, 2, 2, new Vec3(2, 2, 2.5), Vec3.Zero);
        var grid = new VoxelGrid<float>(g, [-1.5f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -10]);
        var dose = new RtDose { Dose = grid, DoseType = "ERROR", DoseSummationType = "MULTI_PLAN", ReferencedPlanUid = DicomUid.Generate() };

        DicomDataset ds = RtDoseWriter.ToDataset(dose, bitsAllocated: 32);
        RtDose back = RtDoseReader.FromDataset(ds);

        Assert.Equal(1, ds.GetSingleValue<int>(DicomTags.PixelRepresentation));
        for (int n = 0; n < grid.Data.Length; n++)
        {
            Assert.Equal(grid.Data[n], back.Dose.Data[n], 6);
        }
    }

    [Fact]
    public void FromDataset_AbsoluteFrameOffsets_SameGridAsRelative()
    {
        CtSeries ct = RtTestData.Ct(8);
        DicomDataset ds = RtDoseWriter.ToDataset(RtTestData.Dose(ct.Geometry));
        double z0 = ct.Geometry.OriginLps.Z;
        double[] relative = ds.GetValues<double>(DicomTags.GridFrameOffsetVector);
        ds.AddOrUpdate(DicomTags.GridFrameOffsetVector, DicomVR.DS, [.. relative.Select(o => o + z0)]);

        RtDose back = RtDoseReader.FromDataset(ds, "abs.dcm");

        Assert.True(back.Dose.Geometry.SameAs(ct.Geometry));
    }

    [Fact]
    public void FromDataset_DecreasingOffsets_FramesRunAgainstNormal()
    {
        CtSeries ct = RtTestData.Ct(8);
        DicomDataset ds = RtDoseWriter.ToDataset(RtTestData.Dose(ct.Geometry));
        double[] relative = ds.GetValues<double>(DicomTags.GridFrameOffsetVector);
        ds.AddOrUpdate(DicomTags.GridFrameOffsetVector, DicomVR.DS, [.. relative.Select(o => -o)]);

        RtDose back = RtDoseReader.FromDataset(ds);

        Assert.Equal(new Vec3(0, 0, -1), back.Dose.Geometry.Direction.Column(2));
        Assert.Equal(ct.Geometry.OriginLps.Z - 8, back.Dose.Geometry.IndexToLps(0, 0, 1).Z, 9);
    }

    [Theory]
    [InlineData(new[] { 0.0, 2, 4, 7 }, "breaks the regular spacing")]
    [InlineData(new[] { 3.0, 5, 7, 9 }, "neither 0")]
    [InlineData(new[] { 0.0, 2 }, "has 2 values for")]
    public void FromDataset_BadFrameOffsets_ErrorNamesField(double[] offsets, string expected)
    {
        var g = new GridGeometry(2, 2, 4, new Vec3(1, 1, 2), new Vec3(0, 0, 100));
        DicomDataset ds = RtDoseWriter.ToDataset(new RtDose { Dose = new VoxelGrid<float>(g), ReferencedPlanUid = DicomUid.Generate() });
        ds.AddOrUpdate(DicomTags.GridFrameOffsetVector, DicomVR.DS, offsets);

        DicomFormatException ex = Assert.Throws<DicomFormatException>(() => RtDoseReader.FromDataset(ds, "bad.dcm"));
        Assert.Contains("bad.dcm", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GridFrameOffsetVector", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChooseScaling_MaximumFitsAndUsesRange()
    {
        foreach (double max in new[] { 1e-3, 0.7, 2.0, 61.123456789, 1234.5 })
        {
            double s32 = RtDoseWriter.ChooseScaling(max, signed: false, bitsAllocated: 32);
            Assert.InRange(Math.Round(max / s32), 3.5e9, uint.MaxValue);
            double s16 = RtDoseWriter.ChooseScaling(max, signed: false);
            Assert.InRange(Math.Round(max / s16), 0.9 * ushort.MaxValue, ushort.MaxValue);
        }
    }

    [Fact]
    public void ToDataset_PlanSummationWithoutPlan_Throws()
    {
        var g = new GridGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero);
        Assert.Throws<ArgumentException>(() => RtDoseWriter.ToDataset(new RtDose { Dose = new VoxelGrid<float>(g) }));
    }
}
