using System.Text.Json;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.Planning;

/// <summary>
/// <c>plan</c>, <c>dose --ct</c> and <c>rehearse</c> on a planning system's flat export (pydicom re-writes our case as
/// CT.*, RS.*, RP.*, RD.*) give what they give on our ct/ + rtstruct.dcm layout with the same seed; two CT series and
/// two structure sets are refused with the candidates, then planned with the flags; a structure set of another patient
/// is refused, then planned with the override and named in report.json.
/// </summary>
public class ExportInputsTests
{
    private static readonly string Protocol = Path.Combine(CliRunner.RepositoryRoot(), "configs", "protocols", "prostate.json");

    private static string[] QuickPlan(string caseDir, string outDir, params string[] more) =>
        ["plan", "--case", caseDir, "--protocol", Protocol, "--beams", "3", "--beamlet-histories", "300", "--final-histories", "200000", "--device", "cpu", "--seed", "3", "--out", outDir, .. more];

    private static string Phantom(string name, string phantom = "prostate", string voxel = "10")
    {
        string dir = CliRunner.TempDir(name);
        Assert.Equal(0, CliRunner.Run("phantom", phantom, "--voxel", voxel, "--out", dir).ExitCode);
        return dir;
    }

    private static float[] Dose(string file) => RtDoseReader.Read(file).Dose.Data;

    [ToolFact("pydicom")]
    public void PlanAndDose_FlatExport_SameResultsAsTheCaseLayout()
    {
        string layout = Phantom("exp-layout");
        string flat = CliRunner.TempDir("exp-flat");
        DicomExports.Flat(flat, false, layout);

        string planLayout = CliRunner.TempDir("exp-plan-layout"), planFlat = CliRunner.TempDir("exp-plan-flat");
        (int code, string stdout, string stderr) = CliRunner.Run(QuickPlan(layout, planLayout));
        Assert.True(code == 0, stderr + stdout);
        (code, stdout, stderr) = CliRunner.Run(QuickPlan(flat, planFlat));
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("2 not DICOM (skipped)", stdout, StringComparison.Ordinal);
        Assert.Contains("case: CT series ", stdout, StringComparison.Ordinal);
        Assert.Equal(Dose(Path.Combine(planLayout, "rtdose.dcm")), Dose(Path.Combine(planFlat, "rtdose.dcm")));
        using (JsonDocument a = JsonDocument.Parse(File.ReadAllText(Path.Combine(planLayout, "report.json"))), b = JsonDocument.Parse(File.ReadAllText(Path.Combine(planFlat, "report.json"))))
        {
            Assert.Equal(a.RootElement.GetProperty("goals").ToString(), b.RootElement.GetProperty("goals").ToString());
            Assert.Empty(b.RootElement.GetProperty("inputWarnings").EnumerateArray());
        }

        // The plan's own output exported flat, then recomputed (second check) from the export and from the layout.
        string exported = CliRunner.TempDir("exp-plan-export");
        IReadOnlyList<(string Modality, string Path)> files = DicomExports.Flat(exported, true, planLayout);
        string checkLayout = CliRunner.TempDir("exp-check-layout"), checkFlat = CliRunner.TempDir("exp-check-flat");
        (code, stdout, stderr) = CliRunner.Run("dose", "--ct", planLayout, "--plan", Path.Combine(planLayout, "rtplan.dcm"), "--histories", "100000", "--device", "cpu", "--out", checkLayout);
        Assert.True(code == 0, stderr + stdout);
        (code, stdout, stderr) = CliRunner.Run("dose", "--ct", exported, "--plan", DicomExports.Single(files, "RTPLAN"), "--histories", "100000", "--device", "cpu", "--out", checkFlat);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("and structure set", stdout, StringComparison.Ordinal); // the plan's, found in the export and checked
        Assert.Equal(Dose(Path.Combine(checkLayout, "rtdose.dcm")), Dose(Path.Combine(checkFlat, "rtdose.dcm")));
    }

    [ToolFact("pydicom")]
    public void Rehearse_FlatExport_SameCandidatesAsTheCaseLayout()
    {
        string layout = Phantom("exp-liver", "liver-needle", "4");
        string flat = CliRunner.TempDir("exp-liver-flat");
        DicomExports.Flat(flat, true, layout);
        string[] Args(string caseDir, string outDir) =>
            ["rehearse", "--case", caseDir, "--target", "Tumor", "--avoid", "Vessel", "--out", outDir, "--resolution-mm", "24", "--candidates", "4", "--speed-mm-s", "60", "--threads", "2", "--seed", "5"];
        string outLayout = CliRunner.TempDir("exp-reh-layout"), outFlat = CliRunner.TempDir("exp-reh-flat");
        (int code, string stdout, string stderr) = CliRunner.Run(Args(layout, outLayout));
        Assert.True(code == 0, stderr + stdout);
        (code, stdout, stderr) = CliRunner.Run(Args(flat, outFlat));
        Assert.True(code == 0, stderr + stdout);
        static string Candidates(string dir)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "trajectories.json")));
            return string.Join('\n', doc.RootElement.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("entryLps").ToString() + c.GetProperty("minClearanceMm").ToString()));
        }

        Assert.Equal(Candidates(outLayout), Candidates(outFlat));
    }

    [ToolFact("pydicom")]
    public void Plan_TwoCtSeriesAndTwoStructureSets_RefusedListingThem_ThenPlannedWithTheFlags()
    {
        string first = Phantom("exp-two-a"), second = Phantom("exp-two-b");
        string flat = CliRunner.TempDir("exp-two");
        DicomExports.Flat(flat, false, first, second);
        RtStudy a = RtStudyReader.Read(first), b = RtStudyReader.Read(second);

        (int code, _, string stderr) = CliRunner.Run(QuickPlan(flat, CliRunner.TempDir("exp-two-out")));
        Assert.Equal(1, code);
        Assert.Contains("choose with --ct-series UID and/or --structure-set UID", stderr, StringComparison.Ordinal);
        foreach (string uid in new[] { a.Ct.SeriesInstanceUid, b.Ct.SeriesInstanceUid, a.StructureSet!.SopInstanceUid, b.StructureSet!.SopInstanceUid })
        {
            Assert.Contains(uid, stderr, StringComparison.Ordinal);
        }

        // dicom info shows the same grouping and says why it cannot pick.
        JsonElement info = CliRunner.Json("dicom", "info", flat, "--json");
        JsonElement patient = Assert.Single(info.GetProperty("patients").EnumerateArray()); // one patient ID, two studies
        Assert.Equal(2, patient.GetProperty("studies").GetArrayLength());
        Assert.Contains("--ct-series", info.GetProperty("case").GetProperty("refused").GetString(), StringComparison.Ordinal);

        string outDir = CliRunner.TempDir("exp-two-chosen");
        (code, string stdout, stderr) = CliRunner.Run(QuickPlan(flat, outDir, "--ct-series", b.Ct.SeriesInstanceUid, "--structure-set", b.StructureSet.SopInstanceUid));
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"case: CT series {b.Ct.SeriesInstanceUid}", stdout, StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void Plan_StructureSetOfAnotherPatient_RefusedThenPlannedWithTheOverride()
    {
        string layout = Phantom("exp-mismatch");
        string flat = CliRunner.TempDir("exp-mismatch-flat");
        IReadOnlyList<(string Modality, string Path)> files = DicomExports.Flat(flat, false, layout);
        string rs = DicomExports.Single(files, "RTSTRUCT");
        DicomExports.Set(rs, "PatientID=ANOTHER-PATIENT", "ReferencedFrameOfReferenceUID=1.2.826.0.1.3680043.2.1125.61");

        (int code, _, string stderr) = CliRunner.Run(QuickPlan(flat, CliRunner.TempDir("exp-mismatch-out")));
        Assert.Equal(1, code);
        Assert.Contains($"RTSTRUCT {rs} has 'ANOTHER-PATIENT'", stderr, StringComparison.Ordinal);
        Assert.Contains($"RTSTRUCT {rs} is drawn on frame of reference 1.2.826.0.1.3680043.2.1125.61", stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-inconsistent uses them anyway", stderr, StringComparison.Ordinal);

        string outDir = CliRunner.TempDir("exp-mismatch-allowed");
        (code, string stdout, stderr) = CliRunner.Run(QuickPlan(flat, outDir, "--allow-inconsistent"));
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("warning: Patient ID (0010,0020)", stdout, StringComparison.Ordinal);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        List<string> warnings = [.. report.RootElement.GetProperty("inputWarnings").EnumerateArray().Select(w => w.GetString()!)];
        Assert.Contains(warnings, w => w.Contains("ANOTHER-PATIENT", StringComparison.Ordinal) && w.EndsWith("(accepted by --allow-inconsistent)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Referenced Frame of Reference", StringComparison.Ordinal));
    }
}
