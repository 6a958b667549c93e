using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Tests.Tools;

namespace MeTAI.Planner.Tests.Beams;

/// <summary>
/// Model it or refuse it: pydicom's rtplan.dcm edited by pydicom (the outside writer, <c>Tools/rtplan_edit.py</c>) the way
/// another planning system encodes a wedge, block, compensator, bolus, FFF beam, another energy, electrons, an
/// applicator, an accessory, table-top rotations, a shielding device or a patient position. Every edit that changes the
/// dose is refused by both readers of <see cref="RtPlanBeams"/> (the dose path <see cref="RtPlanBeams.Segments"/> and the
/// HIL path <see cref="RtPlanBeams.TreatmentBeams(string)"/>) with the file, the beam, the attribute with its tag and the
/// value in the message; what is modelled gives the same delivery as the unedited plan.
/// </summary>
public class RtPlanRefusalTests
{
    public static TheoryData<string, string> Refused => new()
    {
        { "wedge-standard", "Wedge Sequence (300A,00D1) wedge 1: Wedge Type (300A,00D3) STANDARD, Wedge ID (300A,00D4) 'W30', Wedge Angle (300A,00D5) 30° — a physical wedge is not modelled" },
        { "wedge-edw", "Wedge Type (300A,00D3) DYNAMIC, Wedge ID (300A,00D4) 'EDW60OUT', Wedge Angle (300A,00D5) 60° — a dynamic wedge (enhanced dynamic or virtual" },
        { "wedge-virtual", "Wedge Type (300A,00D3) DYNAMIC, Wedge ID (300A,00D4) 'VW30'" },
        { "wedge-motorized", "Wedge Type (300A,00D3) MOTORIZED, Wedge ID (300A,00D4) 'MW60', Wedge Angle (300A,00D5) 60° — a motorized wedge is not modelled" },
        { "wedge-count-only", "Number of Wedges (300A,00D0) 1 but no Wedge Sequence (300A,00D1)" },
        { "block", "Block Sequence (300A,00F4) block 1: Block Type (300A,00F8) SHIELDING, Block Name (300A,00FE) 'LUNG', Block Tray ID (300A,00F5) 'TRAY1' — blocks are not modelled" },
        { "compensator", "Compensator Sequence (300A,00E3) compensator 1: Compensator Type (300A,00EE) STANDARD, Compensator ID (300A,00E5) 'COMP1' — compensators are not modelled" },
        { "bolus", "Referenced Bolus Sequence (300C,00B0): Referenced ROI Number (3006,0084) 5" },
        { "fff", "Primary Fluence Mode Sequence (3002,0050): Fluence Mode (3002,0051) NON_STANDARD, Fluence Mode ID (3002,0052) 'FFF' — a flattening-filter-free beam is not modelled" },
        { "energy-10", "control point 0: Nominal Beam Energy (300A,0114) 10 MV is not commissioned (beam models: 6 MV)" },
        { "energy-missing", "control point 0 has no Nominal Beam Energy (300A,0114)" },
        { "electron", "Radiation Type (300A,00C6) ELECTRON is not modelled (PHOTON only)" },
        { "applicator", "Applicator Sequence (300A,0107): Applicator Type (300A,0109) STEREOTACTIC, Applicator ID (300A,0108) 'CONE10' — applicators are not modelled" },
        { "accessory", "General Accessory Sequence (300A,0420): type GRATICULE, ID 'GRAT1' — this device is not modelled" },
        { "range-shifter", "Range Shifter Sequence (300A,0314): type BINARY, ID 'RS5' — this device is not modelled" },
        { "dosimeter-minute", "Primary Dosimeter Unit (300A,00B3) MINUTE is not modelled (MU only)" },
        { "tbi", "High-Dose Technique Type (300A,00C7) TBI is not modelled (NORMAL only)" },
        { "table-pitch", "control point 0: Table Top Pitch Angle (300A,0140) 3° is not modelled (0 only)" },
        { "table-roll", "control point 0: Table Top Roll Angle (300A,0144) 2° is not modelled (0 only)" },
        { "table-eccentric", "control point 0: Table Top Eccentric Angle (300A,0125) 10° is not modelled (0 only)" },
        { "position-sitting", "patient setup 1: Patient Position (0018,5100) 'SITTING' is not supported (supported: HFS, HFP, FFS, FFP, HFDR, HFDL, FFDR, FFDL)" },
        { "position-missing", "patient setup 1: Patient Position (0018,5100) is missing" },
        { "no-setup", "the plan has no Patient Setup Sequence (300A,0180), so no Patient Position (0018,5100)" },
    };

    [ToolTheory("pydicom")]
    [MemberData(nameof(Refused))]
    public void Segments_PlanWithAnUnmodelledAttribute_IsRefusedNamingFileBeamAttributeAndValue(string edit, string expected)
    {
        string path = Edited(edit);
        RtPlan plan = RtPlanReader.Read(path);
        var ex = Assert.Throws<ArgumentException>(() => RtPlanBeams.Segments(plan, "RTPLAN " + path, 6, null));
        Assert.StartsWith($"RTPLAN {path}: beam 1 ('Field 1')", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [ToolTheory("pydicom")]
    [MemberData(nameof(Refused))]
    public void TreatmentBeams_PlanWithAnUnmodelledAttribute_IsRefusedToo(string edit, string expected)
    {
        string path = Edited(edit);
        var ex = Assert.Throws<ArgumentException>(() => RtPlanBeams.TreatmentBeams(path));
        Assert.StartsWith($"RTPLAN {path}: beam 1 ('Field 1')", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void Segments_ShieldingDeviceInThePatientSetup_IsRefused()
    {
        string path = Edited("shielding");
        var ex = Assert.Throws<ArgumentException>(() => RtPlanBeams.Segments(RtPlanReader.Read(path), "RTPLAN " + path, 6, null));
        Assert.Equal($"RTPLAN {path}: patient setup 1: Shielding Device Sequence (300A,01A0) holds 1 device(s), the first Shielding Device Type (300A,01A2) EYE, label 'EYE-L' — shielding devices in the beam are not modelled.", ex.Message);
        Assert.Throws<ArgumentException>(() => RtPlanBeams.TreatmentBeams(path));
    }

    [ToolFact("pydicom")]
    public void Segments_MotorizedWedgeOutThroughout_IsTheOpenBeam()
    {
        RtPlan plan = RtPlanReader.Read(Edited("wedge-motorized-out"));
        RtWedge wedge = Assert.Single(plan.Beams[0].Wedges);
        Assert.Equal(("MOTORIZED", "MW60", 60.0), (wedge.Type, wedge.Id, wedge.AngleDeg!.Value));
        Assert.All(plan.Beams[0].ControlPoints, cp => Assert.Equal("OUT", Assert.Single(cp.WedgePositions).Position));
        DeliverySegment s = Assert.Single(RtPlanBeams.Segments(plan, "RTPLAN", 6, null));
        DeliverySegment open = Assert.Single(RtPlanBeams.Segments(RtPlanReader.Read(Edited("none")), "RTPLAN", 6, null));
        Assert.Equal(open, s with { Rectangles = open.Rectangles });
        Assert.Equal(open.Rectangles, s.Rectangles);
    }

    [ToolFact("pydicom")]
    public void Reader_CarriesWhatThePlannerChecks()
    {
        RtBeam block = RtPlanReader.Read(Edited("block")).Beams[0];
        Assert.Equal(1, block.NumberOfBlocks);
        Assert.Equal(("SHIELDING", "LUNG", "TRAY1", "CERROBEND", 75.0), (block.Blocks[0].Type, block.Blocks[0].Name, block.Blocks[0].TrayId, block.Blocks[0].MaterialId, block.Blocks[0].ThicknessMm!.Value));
        RtBeam fff = RtPlanReader.Read(Edited("fff")).Beams[0];
        Assert.Equal(("NON_STANDARD", "FFF"), (fff.FluenceMode, fff.FluenceModeId));
        RtBeam bolus = RtPlanReader.Read(Edited("bolus")).Beams[0];
        Assert.Equal(5, Assert.Single(bolus.Boli).ReferencedRoiNumber);
        RtBeam pristine = RtPlanReader.Read(Edited("none")).Beams[0];
        Assert.Equal((0, 0, 0, 0), (pristine.NumberOfWedges, pristine.NumberOfCompensators, pristine.NumberOfBoli, pristine.NumberOfBlocks));
        Assert.Empty(pristine.OtherAccessories);
    }

    [ToolFact("pydicom")]
    public void Segments_ProneSetup_PlacesTheBeamsForItAndRefusesASupineCt()
    {
        string path = Edited("position-hfp");
        RtPlan plan = RtPlanReader.Read(path);
        DeliverySegment s = Assert.Single(RtPlanBeams.Segments(plan, "RTPLAN " + path, 6, null));
        Assert.Equal(PatientPosition.HeadFirstProne, s.Position);
        // Gantry 0 with the patient face down enters through the back.
        Assert.Equal(1, s.Geometry().SourceDirectionLps.Y, 9);

        var ex = Assert.Throws<ArgumentException>(() => RtPlanBeams.Segments(plan, "RTPLAN " + path, 6, (PatientPosition.HeadFirstSupine, "CT /data/ct/CT1.dcm")));
        Assert.Equal($"RTPLAN {path}: beam 1 ('Field 1'): Patient Position (0018,5100) HFP (head first-prone) of its patient setup differs from the CT's HFS (head first-supine, CT /data/ct/CT1.dcm); the beams would enter through other anatomy. Recompute on a CT taken in the plan's position.", ex.Message);
        Assert.Single(RtPlanBeams.Segments(plan, "RTPLAN " + path, 6, (PatientPosition.HeadFirstProne, "CT")));
    }

    private static readonly Lazy<string> EditDirectory = new(() => RepositoryPaths.TempDir("rtplan-edits"));

    /// <summary>pydicom's rtplan.dcm with one edit, written by pydicom (once per test run and edit).</summary>
    internal static string Edited(string edit)
    {
        string path = Path.Combine(EditDirectory.Value, edit + ".dcm");
        if (!File.Exists(path))
        {
            string tmp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
            (int code, string output) = OutsideTools.Run(OutsideTools.Python, [PythonScripts.Script("rtplan_edit.py"), edit, tmp]);
            Assert.True(code == 0, $"rtplan_edit.py {edit} failed: {output}");
            File.Move(tmp, path, overwrite: true);
        }

        return path;
    }
}
