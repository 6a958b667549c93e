using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.Planning;

/// <summary>
/// <c>plan</c>, <c>dose</c> and <c>dvh</c> on the asymmetric phantom pydicom writes for each patient position
/// (<see cref="PositionPhantom"/>), and <c>dose</c> on RT Plans another system would write with a wedge or FFF (pydicom
/// edits of its rtplan.dcm): the position read, written and checked; what is not modelled refused in one line.
/// </summary>
public class PatientPositionCommandTests
{
    [Fact]
    public void Dvh_SameDoseInEveryPosition_SameMetrics()
    {
        // One dose in patient coordinates — a peak on the target and a left-to-right gradient, so a mirror image would show —
        // written on each position's CT grid: the DVHs must not depend on how the grid is stored.
        Dictionary<string, JsonElement>? hfs = null;
        foreach (string code in PositionPhantom.Positions)
        {
            string dir = PositionPhantom.Write(code, CliRunner.TempDir("dvh-position-" + code));
            CtSeries ct = CtSeriesReader.Read(Path.Combine(dir, "ct"));
            var dose = new VoxelGrid<float>(ct.Geometry);
            GridGeometry g = ct.Geometry;
            for (int k = 0; k < g.SizeZ; k++)
            {
                for (int j = 0; j < g.SizeY; j++)
                {
                    for (int i = 0; i < g.SizeX; i++)
                    {
                        Vec3 p = g.IndexToLps(i, j, k);
                        double r2 = Math.Pow(p.X - 40, 2) + Math.Pow(p.Y + 20, 2) + Math.Pow(p.Z, 2);
                        dose[i, j, k] = (float)(2 * Math.Exp(-r2 / (2 * 35 * 35)) + 0.2 * (p.X + 110) / 220);
                    }
                }
            }

            RtDoseWriter.Write(new RtDose { Dose = dose, DoseSummationType = "PHYSICAL", FrameOfReferenceUid = ct.FrameOfReferenceUid, PatientStudy = ct.PatientStudy }, Path.Combine(dir, "rtdose.dcm"));
            JsonElement r = CliRunner.Json("dvh", "--rtstruct", Path.Combine(dir, "rtstruct.dcm"), "--rtdose", Path.Combine(dir, "rtdose.dcm"), "--json");
            Dictionary<string, JsonElement> rois = r.GetProperty("rois").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.Clone());
            Assert.True(rois["PTV"].GetProperty("meanGy").GetDouble() > 3 * rois["Bone"].GetProperty("meanGy").GetDouble(), code);
            hfs ??= rois;
            foreach (string roi in new[] { "Body", "Bone", "PTV" })
            {
                foreach (string metric in new[] { "volumeCc", "minGy", "meanGy", "maxGy", "D2Gy", "D50Gy", "D95Gy", "D98Gy" })
                {
                    double expected = hfs[roi].GetProperty(metric).GetDouble(), actual = rois[roi].GetProperty(metric).GetDouble();
                    Assert.True(Math.Abs(actual - expected) <= 1e-3 * Math.Max(1, Math.Abs(expected)), $"{code} {roi} {metric}: {actual}, HFS {expected}");
                }
            }
        }
    }

    [Fact]
    public void PlanThenDose_ProneCt_WritesHfpRecomputesItAndRefusesItOnASupineCt()
    {
        string caseDir = PositionPhantom.Write("HFP", CliRunner.TempDir("plan-hfp-case"));
        string protocol = Path.Combine(caseDir, "protocol.json");
        File.WriteAllText(protocol, """
            {
              "name": "position-hfp",
              "prescription": {"target": "PTV", "doseGy": 2, "fractions": 1},
              "beams": {"gantryDeg": [270, 180], "beamletMm": 10, "marginMm": 5},
              "objectives": [
                {"structure": "PTV", "type": "squaredDeviation", "dosePercent": 100, "weight": 1000, "priority": 1},
                {"structure": "Body", "type": "squaredOverdose", "dosePercent": 60, "weight": 10, "priority": 3}
              ],
              "goals": [{"structure": "PTV", "metric": "D50", "comparison": ">=", "value": 95, "unit": "%"}],
              "normalization": {"structure": "PTV", "metric": "D50", "percent": 100},
              "sequencing": {"levels": 5, "minSegmentMu": 1}
            }
            """);
        string planDir = CliRunner.TempDir("plan-hfp");
        (int code, string stdout, string stderr) = CliRunner.Run("plan", "--case", caseDir, "--protocol", protocol, "--out", planDir,
            "--beamlet-histories", "2000", "--final-histories", "300000", "--device", "cpu", "--seed", "3", "--no-denoise");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("patient position HFP (head first-prone, from Patient Position (0018,5100) of ", stdout, StringComparison.Ordinal);
        string planPath = Path.Combine(planDir, "rtplan.dcm");
        Assert.Equal("HFP", Assert.Single(RtPlanReader.Read(planPath).PatientSetups).PatientPosition);
        DicomValidators.AssertDciodvfyClean(planPath);

        // The second check of that plan on the CT it was planned on (the copy written beside it, still HFP).
        string doseDir = CliRunner.TempDir("dose-hfp");
        (code, stdout, stderr) = CliRunner.Run("dose", "--ct", planDir, "--plan", planPath, "--out", doseDir, "--histories", "200000", "--device", "cpu");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("(HFP, head first-prone)", stdout, StringComparison.Ordinal);

        // The same plan on a supine CT of the same phantom: refused in one line naming both positions and the files.
        string supine = PositionPhantom.Write("HFS", CliRunner.TempDir("dose-hfs-case"));
        (code, stdout, stderr) = CliRunner.Run("dose", "--ct", supine, "--plan", planPath, "--allow-inconsistent", "--out", CliRunner.TempDir("dose-mismatch"), "--histories", "10000", "--device", "cpu");
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith($"metai: RTPLAN {planPath}: beam 1 ('G270'): Patient Position (0018,5100) HFP (head first-prone) of its patient setup differs from the CT's HFS (head first-supine, Patient Position (0018,5100) of {Path.Combine(supine, "ct")}", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wedge-edw", "Wedge Type (300A,00D3) DYNAMIC, Wedge ID (300A,00D4) 'EDW60OUT'")]
    [InlineData("fff", "Fluence Mode ID (3002,0052) 'FFF'")]
    [InlineData("block", "Block Sequence (300A,00F4) block 1: Block Type (300A,00F8) SHIELDING")]
    [InlineData("energy-10", "Nominal Beam Energy (300A,0114) 10 MV is not commissioned")]
    public void Dose_PlanWithWhatIsNotModelled_FailsInOneLineNamingFileBeamAndAttribute(string edit, string expected)
    {
        string planPath = Path.Combine(CliRunner.TempDir("dose-refused-" + edit), edit + ".dcm");
        (int made, string output) = OutsideTools.Run(OutsideTools.Python, Path.Combine(AppContext.BaseDirectory, "Tools", "rtplan_edit.py"), edit, planPath);
        Assert.True(made == 0, output);
        string water = CliRunner.TempDir("dose-refused-water");
        (int code, _, string phantomErr) = CliRunner.Run("phantom", "water", "--voxel", "20", "--out", water);
        Assert.True(code == 0, phantomErr);
        (code, string stdout, string stderr) = CliRunner.Run("dose", "--ct", water, "--plan", planPath, "--allow-inconsistent", "--isocenter", "ssd", "--out", CliRunner.TempDir("dose-refused-out"), "--histories", "10000", "--device", "cpu");
        Assert.Equal(1, code);
        Assert.DoesNotContain("dose: plan", stdout, StringComparison.Ordinal); // refused before any Monte Carlo (stdout lists only what the CT folder holds)
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith($"metai: RTPLAN {planPath}: beam 1 ('Field 1'): ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Positions_CoverEveryCode() =>
        Assert.Equal(PatientPositions.All.Select(p => p.Code()), PositionPhantom.Positions);
}
