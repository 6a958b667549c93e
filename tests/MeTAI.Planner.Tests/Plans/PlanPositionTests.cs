using System.Collections.Concurrent;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;
using MeTAI.Planner.Tests.Dose;
using Xunit.Abstractions;

namespace MeTAI.Planner.Tests.Plans;

/// <summary>
/// <c>metai plan</c> in every patient position, on the asymmetric phantom pydicom writes as a scanner would for each
/// (<see cref="PositionPhantom"/>), planned with a left lateral and an anterior beam (the gantry angles that are for
/// that position): the plan reads the CT's position, places the beams for it, covers the target on the patient's left
/// in every position (left above right, front above back, the target dose of head-first supine), and writes the position it
/// read into the RT Plan's patient setup (read back by pydicom).
/// </summary>
public class PlanPositionTests(ITestOutputHelper output)
{
    private static readonly ConcurrentDictionary<string, Lazy<(Dictionary<string, double> Doses, string Dir, string Log)>> Plans = new(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(PositionPhantom.EveryPosition), MemberType = typeof(PositionPhantom))]
    public void Plan_EveryPosition_DoseOnTheSameAnatomyAndThePositionWritten(string code)
    {
        (Dictionary<string, double> d, string dir, string log) = Plan(code);
        output.WriteLine($"{code}: " + string.Join(", ", d.Select(kv => $"{kv.Key} {kv.Value:0.000} Gy")));
        PatientPosition position = PatientPositions.Parse(code, "test");
        Assert.Contains($"patient position {code} ({position.Describe()}, from Patient Position (0018,5100) of ", log, StringComparison.Ordinal);

        // The RT Plan records the position the CT gave, as pydicom reads it.
        Assert.Equal(code, Assert.Single(RtPlanReader.Read(Path.Combine(dir, "rtplan.dcm")).PatientSetups).PatientPosition);
        (int exit, string printed) = OutsideTools.Run(OutsideTools.Python, "-c",
            "import sys, pydicom; ds = pydicom.dcmread(sys.argv[1]); print(ds.PatientSetupSequence[0].PatientPosition, *[b.ReferencedPatientSetupNumber for b in ds.BeamSequence])",
            Path.Combine(dir, "rtplan.dcm"));
        Assert.True(exit == 0, printed);
        Assert.StartsWith(code + " 1 1", printed.Trim(), StringComparison.Ordinal);
        // … and the CT written beside it keeps the position and its orientation.
        Assert.Equal(code, CtSeriesReader.Read(Path.Combine(dir, "ct")).PatientPosition);

        // The dose lands on the patient's left and front, whatever way the patient lay.
        Assert.True(d["target"] > 0.9 * 2.0, $"{code}: target {d["target"]:0.000} Gy of 2 Gy");
        Assert.True(d["left"] > 1.5 * d["right"], $"{code}: left {d["left"]:0.000} Gy, right {d["right"]:0.000} Gy");
        Assert.True(d["anterior"] > 1.5 * d["posterior"], $"{code}: anterior {d["anterior"]:0.000} Gy, posterior {d["posterior"]:0.000} Gy");
        // How the optimiser shares the target between the two beams is not unique (each covers it; Monte Carlo noise
        // decides), so the entrance doses differ between positions; the target dose does not.
        double hfsTarget = Plan("HFS").Doses["target"];
        Assert.True(Math.Abs(d["target"] - hfsTarget) <= 0.08 * hfsTarget, $"{code}: target {d["target"]:0.000} Gy, HFS {hfsTarget:0.000} Gy");
    }

    [Fact]
    public void PlanCase_CtWithoutPosition_IsRefusedNamingTheFile()
    {
        string dir = PositionPhantom.Write("HFS", TestData.TempDir("plan-position-none"), 10, "--no-position");
        var ex = Assert.Throws<ArgumentException>(() => PlanCase.From(CaseLoader.FromDirectory(dir)));
        Assert.StartsWith($"CT {Path.Combine(dir, "ct")}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Patient Position (0018,5100) is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanCase_BuiltInPhantom_IsHeadFirstSupineAndSaysWhy()
    {
        PlanCase c = PlanCase.FromPhantom(Core.Phantoms.PhantomLibrary.Build("water", 20));
        Assert.Equal(PatientPosition.HeadFirstSupine, c.Position);
        Assert.Contains("built-in phantom made head-first supine", c.PositionOrigin, StringComparison.Ordinal);
    }

    private static (Dictionary<string, double> Doses, string Dir, string Log) Plan(string code) =>
        Plans.GetOrAdd(code, c => new Lazy<(Dictionary<string, double>, string, string)>(() => RunPlan(c))).Value;

    private static (Dictionary<string, double>, string, string) RunPlan(string code)
    {
        string caseDir = PositionPhantom.Write(code, TestData.TempDir($"plan-position-{code}"));
        PlanCase c = PlanCase.From(CaseLoader.FromDirectory(caseDir));
        PatientPosition position = c.Position;
        string protocolPath = Path.Combine(caseDir, "protocol.json");
        File.WriteAllText(protocolPath, string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "name": "position-{{code}}",
              "prescription": {"target": "PTV", "doseGy": 2, "fractions": 1},
              "beams": {"gantryDeg": [{{BeamArrangement.GantryForSide(position, 'L')}}, {{BeamArrangement.GantryForSide(position, 'A')}}], "beamletMm": 10, "marginMm": 5},
              "objectives": [
                {"structure": "PTV", "type": "squaredDeviation", "dosePercent": 100, "weight": 1000, "priority": 1},
                {"structure": "Bone", "type": "squaredOverdose", "dosePercent": 20, "weight": 50, "priority": 2},
                {"structure": "Body", "type": "squaredOverdose", "dosePercent": 60, "weight": 10, "priority": 3}
              ],
              "goals": [{"structure": "PTV", "metric": "D50", "comparison": ">=", "value": 95, "unit": "%"}],
              "normalization": {"structure": "PTV", "metric": "D50", "percent": 100},
              "sequencing": {"levels": 5, "minSegmentMu": 1}
            }
            """));
        var settings = new PlanSettings
        {
            HistoriesPerBeamlet = 2_000,
            FinalHistories = 400_000,
            Device = DeviceKind.Cpu,
            Seed = 5,
            ReweightRounds = 0,
            Denoise = false,
        };
        var log = new StringWriter();
        PlanResult r = PlanPipeline.Run(c, ProtocolLoader.Load(protocolPath), settings, log);
        string outDir = TestData.TempDir($"plan-position-{code}-out");
        PlanOutput.Write(r, outDir);
        VoxelGrid<float> dose = r.FinalDose.DoseGy;
        var doses = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["target"] = SecondCheckPositionTests.Mean(dose, PositionPhantom.TargetCentre),
            ["left"] = SecondCheckPositionTests.Mean(dose, PositionPhantom.LeftSide),
            ["right"] = SecondCheckPositionTests.Mean(dose, PositionPhantom.RightSide),
            ["anterior"] = SecondCheckPositionTests.Mean(dose, PositionPhantom.AnteriorSide),
            ["posterior"] = SecondCheckPositionTests.Mean(dose, PositionPhantom.PosteriorSide),
        };
        return (doses, outDir, log.ToString());
    }
}
