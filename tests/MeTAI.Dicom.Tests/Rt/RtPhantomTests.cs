using System.Globalization;
using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using Xunit.Abstractions;

namespace MeTAI.Dicom.Tests.Rt;

/// <summary>Every built-in phantom written as CT + RTSTRUCT + uniform RTDOSE and read back.</summary>
public sealed class RtPhantomTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() => [.. PhantomLibrary.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Write_Phantom_CtAndMasksReadBackIdentical(string name)
    {
        Phantom phantom = PhantomLibrary.Build(name, 5);
        string dir = RtTestData.TempDir("phantom-" + name);

        RtPhantom.Write(phantom, dir);
        RtStudy read = RtStudyReader.Read(dir);

        Assert.True(read.Ct.Geometry.SameAs(phantom.Geometry));
        Assert.Equal(phantom.CtHu.Data, read.Ct.Hu.Data);
        Assert.Empty(read.CheckReferences());
        foreach (PhantomStructure s in phantom.Structures)
        {
            RtRoi roi = read.StructureSet!.FindRoi(s.Name)!;
            Assert.Equal(RtPhantom.InterpretedType(s.Kind), roi.InterpretedType);
            Assert.Equal(s.Color, roi.Color);
            VoxelMask mask = read.StructureSet.ToMask(roi, read.Ct.Geometry);
            Assert.True(s.Mask.Voxels.AsSpan().SequenceEqual(mask.Voxels), $"{name}/{s.Name}: {s.Mask.Count} voxels written, {mask.Count} read");
        }
    }

    [DicompylerFact]
    public void UniformDose_Phantoms_DicompylerVolumesWithin2Percent()
    {
        // Acceptance: with a uniform 2 Gy RTDOSE on the CT grid, dicompyler-core's DVH volume of every ROI agrees with
        // the volume of our read-back mask within 2 %.
        foreach (string name in new[] { "prostate", "tg119-cshape", "liver-needle" })
        {
            Phantom phantom = PhantomLibrary.Build(name, 3);
            string dir = RtTestData.TempDir("dicompyler-" + name);
            CtSeries ct = RtPhantom.ToCtSeries(phantom);
            var dose = new VoxelGrid<float>(ct.Geometry);
            Array.Fill(dose.Data, 2f);
            var plan = RtTestData.Plan();
            RtStudyWriter.Write(dir, ct, RtPhantom.RoiMasks(phantom), plan, new RtDose { Dose = dose });
            RtStructureSet ss = RtStructureSetReader.Read(Path.Combine(dir, "rtstruct.dcm"));

            string json = Pydicom.Run("dicompyler_volumes.py", [Path.Combine(dir, "rtstruct.dcm"), Path.Combine(dir, "rtdose.dcm")]);
            using JsonDocument doc = JsonDocument.Parse(json);
            foreach (PhantomStructure s in phantom.Structures)
            {
                double ours = ss.ToMask(s.Name, ct.Geometry).VolumeCc;
                double theirs = doc.RootElement.GetProperty(s.Name).GetProperty("volumeCc").GetDouble();
                double diff = (theirs - ours) / ours;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}/{s.Name}: phantom {s.VolumeCc:F3} cc, ours {ours:F3} cc, dicompyler {theirs:F3} cc, {100 * diff:F3} %"));
                Assert.Equal(s.VolumeCc, ours, 1e-9);
                Assert.InRange(diff, -0.02, 0.02);
            }
        }
    }
}
