using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Dicom.Tests.Rt;

public class RtPlanReaderTests
{
    [Fact]
    public void Read_PydicomRtPlan_GivesKnownBeamAndPrescription()
    {
        // pydicom's rtplan.dcm: one static 6 MV photon beam "Field 1", 116.0036697 MU per fraction, 30 fractions.
        RtPlan plan = RtPlanReader.Read(TestFiles.Path1("rtplan.dcm"));

        Assert.Equal("Plan1", plan.Label);
        Assert.Equal("Plan1", plan.Name);
        Assert.Equal("PATIENT", plan.Geometry);
        Assert.Equal(30, plan.FractionsPlanned);
        RtBeam beam = Assert.Single(plan.Beams);
        Assert.Equal(1, beam.Number);
        Assert.Equal("Field 1", beam.Name);
        Assert.Equal("STATIC", beam.Type);
        Assert.Equal("PHOTON", beam.RadiationType);
        Assert.Equal("unit001", beam.TreatmentMachineName);
        Assert.Equal(1000.0, beam.SourceAxisDistanceMm);
        Assert.Equal(6.0, beam.NominalEnergyMV);
        Assert.Equal(0.0, beam.GantryDeg);
        Assert.Equal(116.0036697, plan.MetersetMu(1)!.Value, 6);
        Assert.Equal(1.0275401, plan.FractionGroups[0].ReferencedBeams[0].DoseGy!.Value, 6);
        Assert.Equal(["X", "Y"], beam.BeamLimitingDevices.Select(d => d.Type));
        Assert.Equal(2, beam.ControlPoints.Count);
        RtControlPoint cp0 = beam.ControlPoints[0];
        Assert.Equal(0.0, cp0.CumulativeMetersetWeight);
        Assert.Equal(1.0, beam.ControlPoints[1].CumulativeMetersetWeight);
        Assert.Equal("NONE", cp0.GantryRotationDirection);
        Assert.Equal(0.0, cp0.CollimatorDeg);
        Assert.Equal(0.0, cp0.CouchDeg);
        Assert.Equal(235.711172833292, cp0.IsocenterLps!.Value.X, 9);
        Assert.Equal(-724.97815409918, cp0.IsocenterLps!.Value.Z, 9);
        Assert.Equal([-100.0, 100.0], cp0.DevicePositions[0].PositionsMm);
        Assert.Equal(2, plan.DoseReferences.Count);
        Assert.Equal(30.826203, plan.DoseReferences[1].TargetPrescriptionDoseGy!.Value, 6);
        Assert.Equal("ORGAN_AT_RISK", plan.DoseReferences[0].Type);
        Assert.Equal("HFS", Assert.Single(plan.PatientSetups).PatientPosition);
        Assert.Equal("1.2.333.444.55.6.7777.88888", plan.ReferencedStructureSetUid);
        Assert.Equal("UNAPPROVED", plan.ApprovalStatus);
    }

    [Fact]
    public void FromDataset_NotAPlan_NamesFileAndAttribute()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUid.CTImageStorage);
        DicomFormatException ex = Assert.Throws<DicomFormatException>(() => RtPlanReader.FromDataset(ds, "x.dcm"));
        Assert.Contains("x.dcm", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SOPClassUID", ex.Message, StringComparison.Ordinal);
    }
}
