using System.Globalization;
using System.Text.RegularExpressions;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Tests.Tools;

namespace MeTAI.Planner.Tests.Evaluation;

/// <summary>Our gamma pass rates against <c>plastimatch gamma</c> (Debian's plastimatch) on the same RTDOSE files.</summary>
public partial class GammaPlastimatchTests
{
    private static readonly GridGeometry Grid = new(50, 50, 30, new Vec3(3, 3, 3), new Vec3(-75, -75, -45));

    public static TheoryData<string, double, double, double, bool, bool> Pairs() => new()
    {
        // name, shift mm, scale, noise, local, other grid for the evaluated dose
        { "scaled 2 %", 0, 1.02, 0, false, false },
        { "shifted 1.5 mm, 2 % noise", 1.5, 1.02, 0.02, false, false },
        { "shifted 3 mm, scaled 3 %", 3, 1.03, 0, false, false },
        { "4 % noise", 0, 1.0, 0.04, false, false },
        { "local, shifted 1.5 mm", 1.5, 1.02, 0.02, true, false },
        { "evaluated on another grid", 1, 1.01, 0.01, false, true },
    };

    [ToolTheory("plastimatch")]
    [MemberData(nameof(Pairs))]
    public void PassRate_AgreesWithPlastimatchWithinOnePoint(string name, double shift, double scale, double noise, bool local, bool otherGrid)
    {
        string dir = TestData.TempDir("gamma");
        string refPath = Path.Combine(dir, "ref.dcm"), evalPath = Path.Combine(dir, "eval.dcm");
        GridGeometry evalGrid = otherGrid ? new GridGeometry(40, 44, 26, new Vec3(3.5, 3.2, 3.4), new Vec3(-70, -71, -43)) : Grid;
        RtDoseWriter.Write(new RtDose { Dose = SyntheticDose.Box(Grid), DoseSummationType = "PHYSICAL" }, refPath);
        RtDoseWriter.Write(new RtDose { Dose = SyntheticDose.Box(evalGrid, shift, scale, noise, 7), DoseSummationType = "PHYSICAL" }, evalPath);
        // Read back what was written (16-bit), as plastimatch does.
        VoxelGrid<float> a = RtDoseReader.Read(refPath).Dose, b = RtDoseReader.Read(evalPath).Dose;
        double ours = 100 * GammaIndex.Compute(a, b, new GammaOptions { Local = local }).PassRate;
        string[] args = local ? ["gamma", "--local-gamma", refPath, evalPath] : ["gamma", refPath, evalPath];
        (int code, string output) = OutsideTools.Run("plastimatch", args);
        Assert.True(code == 0, output);
        Match m = PassRate().Match(output);
        Assert.True(m.Success, output);
        double theirs = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(ours - theirs) <= 1.0, $"{name}: ours {ours:0.00} %, plastimatch {theirs:0.00} %");
        Assert.InRange(theirs, 1, 100);
    }

    [GeneratedRegex(@"Pass rate = ([0-9.]+) %")]
    private static partial Regex PassRate();
}
