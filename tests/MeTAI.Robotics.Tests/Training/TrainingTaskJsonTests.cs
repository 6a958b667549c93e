using MeTAI.Core.Geometry;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Training;

namespace MeTAI.Robotics.Tests.Training;

/// <summary>Training task files: a good one read field by field, bad ones refused naming the file and the field, and the bundled task.</summary>
public class TrainingTaskJsonTests
{
    private const string Good = """
        {
          "id": "reach-x", "name": "Reach along x", "description": "Forty millimetres ahead.",
          "targetMm": [40, 0, 0], "toleranceMm": 3,
          "vessel": { "aMm": [5, 12, 0], "bMm": [35, 12, 0], "radiusMm": 3 },
          "timeLimitS": 60
        }
        """;

    [Fact]
    public void Parse_GoodTask_ReadsEveryField()
    {
        TrainingTask task = TrainingTaskJson.Parse(Good, "good.json");
        Assert.Equal("reach-x", task.Id);
        Assert.Equal("Reach along x", task.Name);
        Assert.Equal("Forty millimetres ahead.", task.Description);
        Assert.Equal(new Vec3(40, 0, 0), task.TargetMm);
        Assert.Equal(3, task.ToleranceMm);
        Assert.Equal(new TrainingCapsule(new Vec3(5, 12, 0), new Vec3(35, 12, 0), 3), task.VesselMm);
        Assert.Equal(60, task.TimeLimitS);
        Assert.Equal(Vec3.Zero, task.OriginM);
    }

    [Theory]
    [InlineData("\"toleranceMm\": 3,", "", "toleranceMm")]
    [InlineData("\"toleranceMm\": 3,", "\"toleranceMm\": -1,", "toleranceMm")]
    [InlineData("\"toleranceMm\": 3,", "\"toleranceMm\": \"3\",", "toleranceMm")]
    [InlineData("\"radiusMm\": 3", "\"radiusMm\": 0", "vessel.radiusMm")]
    [InlineData("\"aMm\": [5, 12, 0]", "\"aMm\": [5, 12]", "vessel.aMm")]
    [InlineData("\"targetMm\": [40, 0, 0]", "\"targetMm\": [40, \"0\", 0]", "targetMm[1]")]
    [InlineData("\"targetMm\": [40, 0, 0]", "\"targetMm\": [1, 0, 0]", "targetMm")]
    [InlineData("\"timeLimitS\": 60", "\"timeLimitS\": 0", "timeLimitS")]
    [InlineData("\"id\": \"reach-x\"", "\"id\": \"Reach X\"", "id")]
    [InlineData("\"name\": \"Reach along x\",", "", "name")]
    [InlineData("\"timeLimitS\": 60", "\"timeLimitS\": 60, \"speed\": 2", "speed")]
    [InlineData("\"radiusMm\": 3", "\"radiusMm\": 3, \"depthMm\": 1", "vessel.depthMm")]
    [InlineData("\"bMm\": [35, 12, 0]", "\"bMm\": [40, 1, 0]", "vessel")]
    public void Parse_BadField_ErrorNamesTheFileAndTheField(string replace, string with, string field)
    {
        Assert.Contains(replace, Good, StringComparison.Ordinal);
        string json = Good.Replace(replace, with, StringComparison.Ordinal);
        FormatException ex = Assert.Throws<FormatException>(() => TrainingTaskJson.Parse(json, "configs/training/bad.json"));
        Assert.StartsWith("configs/training/bad.json: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"field '{field}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJson_SaysSo()
    {
        FormatException ex = Assert.Throws<FormatException>(() => TrainingTaskJson.Parse("{ \"id\": ", "broken.json"));
        Assert.StartsWith("broken.json: not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.Contains("top level", Assert.Throws<FormatException>(() => TrainingTaskJson.Parse("[1, 2]", "array.json")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_SameIdTwice_NamesBothFiles()
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.json"), Good);
            File.WriteAllText(Path.Combine(dir, "b.json"), Good);
            FormatException ex = Assert.Throws<FormatException>(() => TrainingTaskJson.LoadAll(dir));
            Assert.Contains("b.json: field 'id'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("a.json", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BundledReachTarget_Is40MmAlongTheSimulatedCorridorsAxis_WithTheVessel12MmBeside()
    {
        IReadOnlyList<TrainingTask> tasks = TrainingTaskJson.LoadAll(Path.Combine(TestRobots.RepositoryRoot(), "configs", TrainingTaskJson.Folder));
        TrainingTask task = Assert.Single(tasks, t => t.Id == "reach-target");
        Assert.Equal(3, task.ToleranceMm);
        Assert.Equal(3, task.VesselMm.Radius);
        Assert.Equal(60, task.TimeLimitS);

        // The simulated rig's corridor runs along the tool's x axis through the home tip (SimulatedRig.CorridorAroundHome).
        RobotModel robot = TestRobots.Arm6();
        Vec3 axis = robot.ForwardKinematics(robot.HomeRad).Orientation.Rotate(Vec3.UnitX);
        Assert.True(Vec3.Distance(task.TargetMm, axis * 40) < 0.01, $"target {task.TargetMm} is not 40 mm along the corridor's axis {axis}");

        // The vessel's centre line runs 12 mm from the straight path, over the path's length, and stays clear of its ends.
        foreach (Vec3 end in new[] { task.VesselMm.A, task.VesselMm.B })
        {
            double along = Vec3.Dot(end, axis);
            Assert.InRange(along, 0, 40);
            Assert.Equal(12, (end - axis * along).Length, 2);
        }

        // Straight from the home tip to the target, a sample every millimetre: 12 − 3 = 9 mm from the vessel's surface.
        TrainingSample[] path = [.. Enumerable.Range(0, 41).Select(i => new TrainingSample(i * 0.1, task.TargetM * (i / 40.0), 0, true))];
        TrainingScore straight = TrainingScorer.Score(task, path, 0);
        Assert.True(straight.Reached);
        Assert.Equal(9, straight.MinClearanceMm, 2);
    }
}
