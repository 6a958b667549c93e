using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Service.Plans;
using MeTAI.TestUtilities;

namespace MeTAI.Service.Tests.Plans;

/// <summary>
/// The axial dose view's orientation labels for CTs written by pydicom as a scanner writes each patient position
/// (<see cref="PositionPhantom"/>): the letters come from the CT's geometry, and the dense insert — on the patient's
/// right and back — shows up on the edges labelled R and P in every position.
/// </summary>
public class PlanSlicesPositionTests
{
    [Theory]
    [InlineData("HFS", "R", "L", "A", "P")]
    [InlineData("HFP", "L", "R", "P", "A")]
    [InlineData("FFS", "L", "R", "A", "P")]
    [InlineData("FFP", "R", "L", "P", "A")]
    [InlineData("HFDR", "A", "P", "L", "R")]
    [InlineData("HFDL", "P", "A", "R", "L")]
    [InlineData("FFDR", "P", "A", "L", "R")]
    [InlineData("FFDL", "A", "P", "R", "L")]
    public void Info_EveryPosition_EdgesFromTheGeometryAndTheInsertWhereTheyPoint(string code, string left, string right, string top, string bottom)
    {
        string dir = PositionPhantom.Write(code, Path.Combine(Path.GetTempPath(), "metai-service-tests", "slices-" + code + "-" + Guid.NewGuid().ToString("N")[..8]));
        CtSeries ct = CtSeriesReader.Read(Path.Combine(dir, "ct"));
        var dose = new VoxelGrid<float>(ct.Geometry);
        Array.Fill(dose.Data, 1f);
        RtDoseWriter.Write(new RtDose { Dose = dose, DoseSummationType = "PHYSICAL", FrameOfReferenceUid = ct.FrameOfReferenceUid }, Path.Combine(dir, "rtdose.dcm"));

        var slices = new PlanSlices();
        SliceInfo info = slices.Info(dir);
        Assert.Equal(code, info.PatientPosition);
        Assert.Equal(new SliceEdges(left, right, top, bottom), info.Edges);

        // Where the 1000 HU insert lies in the slice as sent: its centroid, 0…1 across and down.
        SliceData slice = slices.Slice(dir, info.Count / 2);
        short[] hu = new short[slice.Width * slice.Height];
        Buffer.BlockCopy(Convert.FromBase64String(slice.CtHu), 0, hu, 0, hu.Length * 2);
        double u = 0, v = 0;
        int n = 0;
        for (int j = 0; j < slice.Height; j++)
        {
            for (int i = 0; i < slice.Width; i++)
            {
                if (hu[j * slice.Width + i] > 500)
                {
                    u += (i + 0.5) / slice.Width;
                    v += (j + 0.5) / slice.Height;
                    n++;
                }
            }
        }

        Assert.True(n > 0);
        (u, v) = (u / n, v / n);
        foreach (string side in new[] { "R", "P" })
        {
            bool where = side == info.Edges.Right ? u > 0.6 : side == info.Edges.Left ? u < 0.4 : side == info.Edges.Bottom ? v > 0.6 : v < 0.4;
            Assert.True(where, $"{code}: the insert (patient's right, posterior) is at ({u:0.00}, {v:0.00}) but the edge '{side}' is elsewhere ({info.Edges})");
        }
    }
}
