using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Tests.Rt;

public class RtStructureSetTests
{
    [Fact]
    public void WriteRead_Masks_IdenticalMasksOnCtGrid()
    {
        CtSeries ct = RtTestData.Ct();
        IReadOnlyList<RtRoiMask> masks = RtTestData.Masks(ct.Geometry);
        RtStructureSet ss = RtStructureSet.FromMasks(ct, masks, created: RtTestData.Created);
        string path = Path.Combine(RtTestData.TempDir("ss"), "rtstruct.dcm");

        RtStructureSetWriter.Write(ss, path, RtTestData.Created);
        RtStructureSet back = RtStructureSetReader.Read(path);

        Assert.Equal(["BODY", "PTV", "Ring OAR"], back.Rois.Select(r => r.Name));
        Assert.Equal(["EXTERNAL", "PTV", "ORGAN"], back.Rois.Select(r => r.InterpretedType));
        Assert.Equal(new RgbColor(255, 0, 0), back.Rois[1].Color);
        foreach (RtRoiMask m in masks)
        {
            VoxelMask read = back.ToMask(m.Mask.Name, ct.Geometry);
            Assert.True(m.Mask.Count > 0);
            Assert.Equal(m.Mask.Voxels, read.Voxels);
        }
    }

    [Fact]
    public void FromMasks_References_EveryContourPointsAtItsSliceAndSeriesListsAllSlices()
    {
        CtSeries ct = RtTestData.Ct();
        RtStructureSet ss = RtStructureSetReader.FromDataset(RtStructureSetWriter.ToDataset(RtStructureSet.FromMasks(ct, RtTestData.Masks(ct.Geometry))));

        Assert.Equal(ct.FrameOfReferenceUid, ss.FrameOfReferenceUid);
        Assert.Equal(ct.SeriesInstanceUid, ss.ReferencedSeriesUid);
        Assert.Equal(ct.PatientStudy.StudyInstanceUid, ss.ReferencedStudyUid);
        Assert.Equal(ct.SopInstanceUids, ss.ReferencedImageUids);
        foreach (RtContour c in ss.Rois.SelectMany(r => r.Contours))
        {
            int k = (int)Math.Round(ct.Geometry.LpsToIndex(c.PointsLps[0]).Z);
            Assert.Equal([ct.SopInstanceUids[k]], c.ReferencedImageUids);
            Assert.All(c.PointsLps, p => Assert.Equal(c.PointsLps[0].Z, p.Z, 9));
        }

        // The ring has a hole: on its slices it gives an outer and an inner contour.
        Assert.True(ss.FindRoi("Ring OAR")!.Contours.Count >= 2 * 7);
    }

    [Fact]
    public void ToMask_FinerGrid_VolumeCloseToSourceMask()
    {
        CtSeries ct = RtTestData.Ct();
        RtRoiMask ptv = RtTestData.Masks(ct.Geometry)[1];
        RtStructureSet ss = RtStructureSet.FromMasks(ct, [ptv]);

        // Same extent, 2 mm voxels, shifted by half a voxel: every 4 mm CT voxel becomes 8 fine voxels.
        GridGeometry fine = RtTestData.Grid(2);
        VoxelMask m = ss.ToMask("PTV", fine);

        Assert.Equal(ptv.Mask.VolumeCc, m.VolumeCc, 1e-9);
    }

    [Fact]
    public void Read_PydicomRtStruct_RoisTypesAndContours()
    {
        // pydicom's rtstruct.dcm: ROI 1 "patient" (EXTERNAL, three closed planar contours at z = −200, −190, −180),
        // ROIs 2 and 3 "Isocenter 1"/"Isocenter 2" (ISOCENTER, one POINT each).
        RtStructureSet ss = RtStructureSetReader.Read(TestFiles.Path1("rtstruct.dcm"));

        Assert.Equal(["patient", "Isocenter 1", "Isocenter 2"], ss.Rois.Select(r => r.Name));
        Assert.Equal(["EXTERNAL", "ISOCENTER", "ISOCENTER"], ss.Rois.Select(r => r.InterpretedType));
        Assert.Equal(new RgbColor(220, 160, 120), ss.Rois[0].Color);
        Assert.Equal(3, ss.Rois[0].ClosedPlanarCount);
        Assert.Equal("POINT", Assert.Single(ss.Rois[1].Contours).GeometricType);
        Assert.Equal("1.2.826.0.1.3680043.8.498.2010020400001.2", ss.FrameOfReferenceUid);
        Assert.Equal(new Vec3(-200, 150, -200), ss.Rois[0].Contours[0].PointsLps[0]);
        Assert.Equal("1.2.826.0.1.3680043.8.498.2010020400001.2.1.1", ss.ReferencedSeriesUid);

        // POINT contours are kept but enclose nothing.
        var grid = new GridGeometry(45, 35, 3, new Vec3(10, 10, 10), new Vec3(-220, -170, -200));
        Assert.True(ss.ToMask(ss.Rois[1], grid).IsEmpty);
        VoxelMask patient = ss.ToMask(ss.Rois[0], grid);
        Assert.False(patient.IsEmpty);
        Assert.True(patient[22, 17, 1]);
    }

    [Fact]
    public void FromMasks_MaskOnOtherGrid_Throws()
    {
        CtSeries ct = RtTestData.Ct();
        var other = new VoxelMask("X", RtTestData.Grid(2));
        Assert.Throws<ArgumentException>(() => RtStructureSet.FromMasks(ct, [new RtRoiMask(other, "ORGAN", default)]));
    }
}
