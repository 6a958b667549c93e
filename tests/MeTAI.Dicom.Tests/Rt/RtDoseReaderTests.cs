using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Dicom.Tests.Rt;

public class RtDoseReaderTests
{
    [Theory]
    [InlineData("rtdose.dcm", 15)]
    [InlineData("rtdose_1frame.dcm", 1)]
    [InlineData("rtdose_expb.dcm", 15)]
    [InlineData("rtdose_expb_1frame.dcm", 1)]
    [InlineData("rtdose_rle.dcm", 15)]
    [InlineData("rtdose_rle_1frame.dcm", 1)]
    public void Read_PydicomRtDose_GivesGridAndScaledValues(string name, int frames)
    {
        // pydicom's rtdose*.dcm: 10×10 pixels of 10 mm, frames 5 mm apart from (189.43125, 199.43125, −761.87),
        // 32-bit unsigned with DoseGridScaling 1e-6, RELATIVE units, BEAM summation of beam 1 of fraction group 1.
        RtDose dose = RtDoseReader.Read(TestFiles.Path1(name));

        var g = dose.Dose.Geometry;
        Assert.Equal((10, 10, frames), (g.SizeX, g.SizeY, g.SizeZ));
        Assert.Equal(new Vec3(10, 10, frames > 1 ? 5 : 1), g.SpacingMm);
        Assert.Equal(new Vec3(189.43125, 199.43125, -761.87), g.OriginLps);
        Assert.True(g.IsAxisAligned);
        Assert.Equal("RELATIVE", dose.DoseUnits);
        Assert.Equal("PHYSICAL", dose.DoseType);
        Assert.Equal("BEAM", dose.DoseSummationType);
        Assert.Equal("1.2.123.456.78.9.0123.4567.89012345678901", dose.ReferencedPlanUid);
        Assert.Equal(1, dose.ReferencedFractionGroupNumber);
        Assert.Equal([1], dose.ReferencedBeamNumbers);
        Assert.Equal("2.22.222.2.222222.2.2222222222222222222222222222.2", dose.FrameOfReferenceUid);

        // First pixel 0x00130EE8 = 1249000 → 1.249 with the 1e-6 scaling; maximum 1.254 (pydicom gives the same).
        Assert.Equal(1.249f, dose.Dose[0, 0, 0], 6);
        Assert.Equal(1.254f, dose.MaxDose(), 6);
    }
}
