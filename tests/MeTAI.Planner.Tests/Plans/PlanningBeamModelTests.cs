using MeTAI.Dosimetry.Beams;
using MeTAI.Planner.Plans;

namespace MeTAI.Planner.Tests.Plans;

/// <summary>
/// Which beam models a plan may use (<see cref="PlanningBeamModel"/>): the point model; a model whose head attenuates
/// (6MV) is refused with the reason, an unknown name lists the models there are.
/// </summary>
public class PlanningBeamModelTests
{
    [Fact]
    public void Load_PointModel_IsPlannedWith()
    {
        BeamModel m = PlanningBeamModel.Load("6MV-point");
        Assert.Null(m.Collimator);
    }

    [Fact]
    public void Load_FullModel_RefusedSayingWhy()
    {
        var e = Assert.Throws<ArgumentException>(() => PlanningBeamModel.Load("6MV"));
        Assert.StartsWith("--beam-model '6MV' (", e.Message, StringComparison.Ordinal);
        Assert.Contains("planning with a model whose jaws and MLC attenuate is refused", e.Message, StringComparison.Ordinal);
        Assert.Contains("Plan with 6MV-point.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10MV")]
    [InlineData("../beams/6MV")]
    public void Load_UnknownName_ListsTheModels(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => PlanningBeamModel.Load(name));
        Assert.StartsWith($"--beam-model '{name}': no such beam model in configs/beams (there: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("6MV-point", e.Message, StringComparison.Ordinal);
    }
}
