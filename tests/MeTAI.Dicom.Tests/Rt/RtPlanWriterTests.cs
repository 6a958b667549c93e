using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Tests.Rt;

public class RtPlanWriterTests
{
    [Fact]
    public void WriteRead_TwoBeamPlan_RoundTrips()
    {
        RtPlan plan = RtTestData.Plan() with { FrameOfReferenceUid = DicomUid.Generate() };
        string path = Path.Combine(RtTestData.TempDir("plan"), "rtplan.dcm");

        RtPlanWriter.Write(plan, path, RtTestData.Created);
        RtPlan back = RtPlanReader.Read(path);

        Assert.Equal(plan.SopInstanceUid, back.SopInstanceUid);
        Assert.Equal(plan.FrameOfReferenceUid, back.FrameOfReferenceUid);
        Assert.Equal(plan.ReferencedStructureSetUid, back.ReferencedStructureSetUid);
        Assert.Equal((plan.Label, plan.Name, plan.Geometry, plan.Intent), (back.Label, back.Name, back.Geometry, back.Intent));
        Assert.Equal(30, back.FractionsPlanned);
        Assert.Equal(101.25, back.MetersetMu(1));
        Assert.Equal(98.5, back.MetersetMu(2));
        Assert.Equal(plan.DoseReferences[0], back.DoseReferences[0] with { Uid = null });
        Assert.Equal(plan.PatientSetups.Select(Setup), back.PatientSetups.Select(Setup));
        Assert.Equal(plan.FractionGroups[0].ReferencedBeams, back.FractionGroups[0].ReferencedBeams);
        for (int b = 0; b < plan.Beams.Count; b++)
        {
            RtBeam expected = plan.Beams[b], actual = back.Beams[b];
            Assert.Equal(Plain(expected), Plain(actual));
            Assert.True(actual is { Wedges.Count: 0, Compensators.Count: 0, Boli.Count: 0, Blocks.Count: 0, Applicators.Count: 0, OtherAccessories.Count: 0 });
            Assert.All(new[] { actual.NumberOfWedges, actual.NumberOfCompensators, actual.NumberOfBoli, actual.NumberOfBlocks }, n => Assert.True(n is null or 0));
            Assert.Equal(expected.BeamLimitingDevices.Select(d => (d.Type, d.NumberOfPairs, string.Join(',', d.LeafBoundariesMm))),
                actual.BeamLimitingDevices.Select(d => (d.Type, d.NumberOfPairs, string.Join(',', d.LeafBoundariesMm))));
            Assert.Equal(expected.ControlPoints.Count, actual.ControlPoints.Count);
            RtControlPoint e0 = expected.ControlPoints[0], a0 = actual.ControlPoints[0];
            Assert.Equal(e0 with { DevicePositions = [], WedgePositions = [] }, a0 with { DevicePositions = [], WedgePositions = [], TableTopEccentricDeg = null, TableTopEccentricRotationDirection = null, TableTopPitchDeg = null, TableTopRollDeg = null });
            Assert.Equal(e0.DevicePositions.Select(p => (p.Type, string.Join(',', p.PositionsMm))), a0.DevicePositions.Select(p => (p.Type, string.Join(',', p.PositionsMm))));
            Assert.Equal(1.0, actual.ControlPoints[1].CumulativeMetersetWeight);
            Assert.Null(actual.ControlPoints[1].GantryDeg);
        }

        Assert.Equal(10.0, back.Beams[1].NominalEnergyMV);
        Assert.Equal(90.0, back.Beams[1].GantryDeg);
        Assert.Equal(15.0, back.Beams[1].ControlPoints[0].CollimatorDeg);
        Assert.Equal(350.0, back.Beams[1].ControlPoints[0].CouchDeg);
    }

    [Fact]
    public void ToDataset_PydicomPlanReadBack_SameBeamValues()
    {
        RtPlan original = RtPlanReader.Read(TestFiles.Path1("rtplan.dcm"));
        RtPlan back = RtPlanReader.FromDataset(RtPlanWriter.ToDataset(original));

        Assert.Equal(original.MetersetMu(1), back.MetersetMu(1));
        Assert.Equal(original.Beams[0].NominalEnergyMV, back.Beams[0].NominalEnergyMV);
        Assert.Equal(original.Beams[0].ControlPoints[0].IsocenterLps, back.Beams[0].ControlPoints[0].IsocenterLps);
    }

    [Theory]
    [InlineData("beam-number")]
    [InlineData("fraction-beam")]
    [InlineData("mlc-boundaries")]
    [InlineData("leaf-count")]
    [InlineData("no-structure-set")]
    public void ToDataset_InconsistentPlan_ThrowsSayingWhat(string fault)
    {
        RtPlan plan = RtTestData.Plan();
        RtBeam lat = plan.Beams[1];
        plan = fault switch
        {
            "beam-number" => plan with { Beams = [plan.Beams[0], lat with { Number = 1 }] },
            "fraction-beam" => plan with { FractionGroups = [new RtFractionGroup { FractionsPlanned = 1, ReferencedBeams = [new RtReferencedBeam { BeamNumber = 7 }] }] },
            "mlc-boundaries" => plan with { Beams = [plan.Beams[0], lat with { BeamLimitingDevices = [lat.BeamLimitingDevices[0], lat.BeamLimitingDevices[1], lat.BeamLimitingDevices[2] with { LeafBoundariesMm = [0, 1] }] }] },
            "leaf-count" => plan with { Beams = [plan.Beams[0], lat with { ControlPoints = [lat.ControlPoints[0] with { DevicePositions = [lat.ControlPoints[0].DevicePositions[0], lat.ControlPoints[0].DevicePositions[1], new RtDevicePosition { Type = "MLCX", PositionsMm = [1, 2] }] }, lat.ControlPoints[1]] }] },
            _ => plan with { ReferencedStructureSetUid = null },
        };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => RtPlanWriter.ToDataset(plan));
        Assert.NotEmpty(ex.Message);
    }

    private static (int, string, string, string, int, int) Setup(RtPatientSetup s) =>
        (s.Number, s.PatientPosition, s.SetupTechniqueDescription, s.SetupTechnique, s.ShieldingDevices.Count, s.FixationDevices.Count);

    // The beam without its lists (compared one by one) and the counts the writer states as 0 (Type 1 in RT Beams).
    private static RtBeam Plain(RtBeam b) => b with
    {
        BeamLimitingDevices = [], ControlPoints = [], Wedges = [], Compensators = [], Boli = [], Blocks = [], Applicators = [], OtherAccessories = [],
        NumberOfWedges = null, NumberOfCompensators = null, NumberOfBoli = null, NumberOfBlocks = null,
    };
}
