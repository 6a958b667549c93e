using System.Collections.Concurrent;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Output;
using Xunit.Abstractions;

namespace MeTAI.Planner.Tests.Dose;

/// <summary>
/// <c>metai dose --ct --plan</c> in every patient position, on one asymmetric phantom that pydicom writes as a scanner
/// would for each position (<see cref="PositionPhantom"/>): a left lateral and an anterior field — whatever gantry
/// angles the position needs for them — put their dose on the patient's left and front in every position, the same
/// dose as head-first supine at named anatomical points; a fixed gantry angle enters through the side the position
/// says; a plan whose position is not the CT's is refused.
/// </summary>
public class SecondCheckPositionTests(ITestOutputHelper output)
{
    private const long Histories = 300_000;
    private static readonly ConcurrentDictionary<string, Lazy<Dictionary<string, double>>> Doses = new(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(PositionPhantom.EveryPosition), MemberType = typeof(PositionPhantom))]
    public void LeftLateralAndAnteriorFields_EveryPosition_DoseLandsOnTheSameAnatomy(string code)
    {
        Dictionary<string, double> d = AnatomicalFieldDoses(code);
        output.WriteLine($"{code}: " + string.Join(", ", d.Select(kv => $"{kv.Key} {kv.Value:0.0000} Gy")));
        Assert.True(d["left"] > 1.5 * d["right"], $"{code}: left {d["left"]:0.000} Gy, right {d["right"]:0.000} Gy");
        Assert.True(d["anterior"] > 1.5 * d["posterior"], $"{code}: anterior {d["anterior"]:0.000} Gy, posterior {d["posterior"]:0.000} Gy");
        Assert.True(d["target"] > 3 * d["bone"], $"{code}: target {d["target"]:0.000} Gy, bone {d["bone"]:0.000} Gy");

        // The same physical set-up as head-first supine: the same dose at every named point, within the Monte Carlo noise.
        Dictionary<string, double> hfs = AnatomicalFieldDoses("HFS");
        foreach ((string point, double gy) in d)
        {
            Assert.True(Math.Abs(gy - hfs[point]) <= 0.06 * hfs["target"], $"{code} {point}: {gy:0.0000} Gy, HFS {hfs[point]:0.0000} Gy");
        }
    }

    [Theory]
    [InlineData("HFS", "left")]
    [InlineData("HFP", "right")]
    [InlineData("FFS", "right")]
    [InlineData("FFP", "left")]
    [InlineData("HFDL", "anterior")]
    public void Gantry90_EntersThroughTheSideThePositionSays(string code, string entrance)
    {
        Dictionary<string, double> d = Run(code, [90], "g90");
        string exit = entrance switch { "left" => "right", "right" => "left", "anterior" => "posterior", _ => "anterior" };
        Assert.True(d[entrance] > 1.5 * d[exit], $"{code}: {entrance} {d[entrance]:0.000} Gy, {exit} {d[exit]:0.000} Gy");
    }

    [Fact]
    public void SupinePlan_OnAProneCt_IsRefusedNamingBoth()
    {
        string ct = PositionPhantom.Write("HFP", TestData.TempDir("position-mismatch"));
        string planPath = WritePlan(ct, PatientPosition.HeadFirstSupine, [90]);
        var ex = Assert.Throws<ArgumentException>(() => SecondCheckRun.Run(new SecondCheckRequest(ct, planPath, null, 1, 10_000, DeviceKind.Cpu, 1, false, TestData.TempDir("position-mismatch-out"))));
        Assert.StartsWith($"RTPLAN {planPath}: beam 1 ('B1'): Patient Position (0018,5100) HFS (head first-supine) of its patient setup differs from the CT's HFP (head first-prone, Patient Position (0018,5100) of {Path.Combine(ct, "ct")}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CtWithMixedPositions_IsRefusedNamingTheSlice()
    {
        string ct = PositionPhantom.Write("FFS", TestData.TempDir("position-mixed"), 10, "--mixed");
        var ex = Assert.ThrowsAny<Exception>(() => CaseLoader.ReadCt(ct));
        Assert.Contains("PatientPosition: 'HFP' differs from 'FFS'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a series has one patient position", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CtWithoutPosition_IsRefusedForDose()
    {
        string ct = PositionPhantom.Write("HFS", TestData.TempDir("position-none"), 10, "--no-position");
        string planPath = WritePlan(ct, PatientPosition.HeadFirstSupine, [90]);
        var ex = Assert.Throws<ArgumentException>(() => SecondCheckRun.Run(new SecondCheckRequest(ct, planPath, null, 1, 10_000, DeviceKind.Cpu, 1, false, TestData.TempDir("position-none-out"))));
        Assert.Contains("Patient Position (0018,5100) is missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HFS is not assumed", ex.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, double> AnatomicalFieldDoses(string code)
    {
        PatientPosition p = PatientPositions.Parse(code, "test");
        return Doses.GetOrAdd(code, c => new Lazy<Dictionary<string, double>>(() =>
            Run(c, [BeamArrangement.GantryForSide(p, 'L'), BeamArrangement.GantryForSide(p, 'A')], "anatomical"))).Value;
    }

    private static Dictionary<string, double> Run(string code, double[] gantryDeg, string name)
    {
        string dir = PositionPhantom.Write(code, TestData.TempDir($"position-{code}-{name}"));
        PatientPosition position = PatientPositions.Parse(code, "test");
        string planPath = WritePlan(dir, position, gantryDeg);
        SecondCheckResult r = SecondCheckRun.Run(new SecondCheckRequest(dir, planPath, null, 1, Histories, DeviceKind.Cpu, 7, false, TestData.TempDir($"position-{code}-{name}-out")));
        Assert.All(r.Segments, s => Assert.Equal(position, s.Position));
        VoxelGrid<float> dose = r.Dose.DoseGy;
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["target"] = Mean(dose, PositionPhantom.TargetCentre),
            ["left"] = Mean(dose, PositionPhantom.LeftSide),
            ["right"] = Mean(dose, PositionPhantom.RightSide),
            ["anterior"] = Mean(dose, PositionPhantom.AnteriorSide),
            ["posterior"] = Mean(dose, PositionPhantom.PosteriorSide),
            ["bone"] = Mean(dose, PositionPhantom.InBone),
        };
    }

    /// <summary>An open-field plan (60 × 60 mm, 100 MU per beam, 6 MV) at the target centre for <paramref name="position"/>.</summary>
    internal static string WritePlan(string directory, PatientPosition position, double[] gantryDeg)
    {
        (double x, double y, double z) = PositionPhantom.TargetCentre;
        RtPlan open = RtPlanBuilder.OpenField(60, 60, new Vec3(x, y, z), 900, 100, "position test", RtPlanBuilder.MachineName, 1000);
        RtBeam template = open.Beams[0];
        var beams = new List<RtBeam>();
        for (int n = 0; n < gantryDeg.Length; n++)
        {
            beams.Add(template with
            {
                Number = n + 1,
                Name = $"B{n + 1}",
                ControlPoints = [template.ControlPoints[0] with { GantryDeg = gantryDeg[n], SourceToSurfaceDistanceMm = null }, template.ControlPoints[1]],
            });
        }

        RtPlan plan = open with
        {
            Beams = beams,
            FractionGroups = [open.FractionGroups[0] with { ReferencedBeams = [.. beams.Select(b => new RtReferencedBeam { BeamNumber = b.Number, MetersetMu = 100 })] }],
            PatientSetups = [new RtPatientSetup { Number = 1, PatientPosition = position.Code() }],
        };

        // The plan belongs to the phantom's CT and structure set (same patient, study, frame), as a planning system's would.
        CtSeries ct = CtSeriesReader.Read(Path.Combine(directory, "ct"));
        string structureSet = Path.Combine(directory, "rtstruct.dcm");
        plan = plan with
        {
            PatientStudy = ct.PatientStudy,
            FrameOfReferenceUid = ct.FrameOfReferenceUid,
            ReferencedStructureSetUid = File.Exists(structureSet) ? DicomFile.Open(structureSet).Dataset.GetString(DicomTags.SOPInstanceUID) : null,
        };
        string path = Path.Combine(directory, "plan-" + position.Code() + ".dcm");
        RtPlanWriter.Write(plan, path);
        return path;
    }

    /// <summary>Mean of the trilinear dose over a 10 mm cube around the point (27 samples): a point dose with less noise.</summary>
    internal static double Mean(VoxelGrid<float> dose, (double X, double Y, double Z) p)
    {
        double sum = 0;
        for (int k = -1; k <= 1; k++)
        {
            for (int j = -1; j <= 1; j++)
            {
                for (int i = -1; i <= 1; i++)
                {
                    sum += GridSampling.TrilinearClamped(dose.Geometry, dose.Data, new Vec3(p.X + 5 * i, p.Y + 5 * j, p.Z + 5 * k));
                }
            }
        }

        return sum / 27;
    }
}
