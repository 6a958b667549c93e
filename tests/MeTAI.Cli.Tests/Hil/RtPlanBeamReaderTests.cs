using MeTAI.Cli.Hil;
using MeTAI.Cli.Tests.Commands;
using MeTAI.Robotics.Radiotherapy;

namespace MeTAI.Cli.Tests.Hil;

public class RtPlanBeamReaderTests
{
    [Fact]
    public void Read_PydicomRtplan_OneBeamWithItsAnglesIsocentreAndMu()
    {
        BeamPose b = Assert.Single(RtPlanBeamReader.Read(Path.Combine(CliRunner.PydicomTestFiles, "rtplan.dcm")));
        Assert.Equal(1, b.Number);
        Assert.Equal("Field 1", b.Name);
        Assert.Equal(0, b.GantryDeg);
        Assert.Equal(0, b.CollimatorDeg);
        Assert.Equal(0, b.CouchDeg);
        Assert.Equal(235.711172833292, b.IsocenterLps.X, 9);
        Assert.Equal(244.135437110782, b.IsocenterLps.Y, 9);
        Assert.Equal(-724.97815409918, b.IsocenterLps.Z, 9);
        Assert.Equal(116.0036697, b.Mu, 6);
    }

    [Fact]
    public void Read_ShippedPlannerPlan_FiveBeamsTheArmCanReach()
    {
        IReadOnlyList<BeamPose> beams = RtPlanBeamReader.Read(Path.Combine(CliRunner.RepositoryRoot(), "configs", "hil", "plans", "prostate-robot.dcm"));
        Assert.Equal([270.0, 330, 0, 30, 90], beams.Select(b => b.GantryDeg));
        Assert.Equal([1, 2, 3, 4, 5], beams.Select(b => b.Number));
        Assert.All(beams, b => Assert.True(b.Mu > 100, $"beam {b.Number}: {b.Mu} MU"));
        Assert.Equal(1408, beams.Sum(b => b.Mu), 0);
    }

    [Fact]
    public void Read_NotAPlan_NamesTheFile()
    {
        string path = Path.Combine(CliRunner.PydicomTestFiles, "CT_small.dcm");
        var ex = Assert.ThrowsAny<Exception>(() => RtPlanBeamReader.Read(path));
        Assert.Contains("CT_small.dcm", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Missing_NamesTheFile()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => RtPlanBeamReader.Read("/nonexistent/plan.dcm"));
        Assert.Contains("/nonexistent/plan.dcm", ex.Message, StringComparison.Ordinal);
    }
}
