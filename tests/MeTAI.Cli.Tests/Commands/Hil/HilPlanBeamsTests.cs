using MeTAI.Cli.Commands.Hil;
using MeTAI.Planner.Beams;
using MeTAI.Robotics.Radiotherapy;

namespace MeTAI.Cli.Tests.Commands.Hil;

/// <summary>
/// The plan a radiotherapy scenario delivers: the planner's RT Plan reader (<see cref="RtPlanBeams"/>, tested in
/// MeTAI.Planner.Tests) mapped to the HIL's beam poses.
/// </summary>
public class HilPlanBeamsTests
{
    [Fact]
    public void PlanBeams_ShippedPlannerPlan_OnePosePerTreatmentBeamWithItsAnglesIsocentreAndMu()
    {
        string path = Path.Combine(CliRunner.RepositoryRoot(), "configs", "hil", "plans", "prostate-robot.dcm");
        IReadOnlyList<BeamPose> poses = HilScenarios.PlanBeams(HilScenarios.LoadBundled("radiotherapy-delivery"), path)!;
        IReadOnlyList<TreatmentBeam> beams = RtPlanBeams.TreatmentBeams(path);
        Assert.Equal([270.0, 330, 0, 30, 90], poses.Select(b => b.GantryDeg));
        Assert.Equal([1, 2, 3, 4, 5], poses.Select(b => b.Number));
        Assert.Equal(1408, poses.Sum(b => b.Mu), 0);
        for (int n = 0; n < beams.Count; n++)
        {
            PlanBeam b = beams[n].Beam;
            Assert.Equal(new BeamPose(b.Number, b.Name, b.GantryDeg, b.CollimatorDeg, b.CouchDeg, b.IsocenterLps, beams[n].MonitorUnits), poses[n]);
        }
    }

    [Fact]
    public void PlanBeams_Missing_NamesTheFile()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => HilScenarios.PlanBeams(HilScenarios.LoadBundled("radiotherapy-delivery"), "/nonexistent/plan.dcm"));
        Assert.Contains("/nonexistent/plan.dcm", ex.Message, StringComparison.Ordinal);
    }
}
