using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;

namespace MeTAI.Core.Tests.Trajectories;

public sealed class TrajectoryJsonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metai-traj-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Corridor_SaveLoad_RoundTripsExactly()
    {
        var corridor = new Corridor(
            [new Vec3(-180.125, -95.5, 10.0 / 3), new Vec3(-113.1, -77.8, 10), new Vec3(-70, 0.1, 10)],
            2.75, new Vec3(-113.1, -77.8, 10), new Vec3(-70, 0.1, 10));
        string path = Path.Combine(_dir, "sub", "corridor.json");
        CorridorJson.Save(corridor, path);
        Corridor back = CorridorJson.Load(path);

        Assert.Equal(corridor.PointsLps.ToArray(), back.PointsLps.ToArray());
        Assert.Equal(corridor.RadiusMm, back.RadiusMm);
        Assert.Equal(corridor.EntryLps, back.EntryLps);
        Assert.Equal(corridor.TargetLps, back.TargetLps);
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "sub")));
    }

    [Fact]
    public void Corridor_Json_HasExactlyTheContractFieldNames()
    {
        var corridor = new Corridor([Vec3.Zero, new Vec3(0, 0, 10)], 3, Vec3.Zero, new Vec3(0, 0, 10));
        using JsonDocument doc = JsonDocument.Parse(CorridorJson.Serialize(corridor));
        string[] names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["points", "radiusMm", "entryLps", "targetLps"], names);
        Assert.Equal(3, doc.RootElement.GetProperty("points")[1].GetArrayLength());
    }

    [Theory]
    [InlineData("""{ "radiusMm": 3, "entryLps": [0,0,0], "targetLps": [0,0,10] }""", "missing field 'points'")]
    [InlineData("""{ "points": [[0,0,0],[0,0,10]], "radiusMm": "3", "entryLps": [0,0,0], "targetLps": [0,0,10] }""", "'radiusMm' must be a finite number")]
    [InlineData("""{ "points": [[0,0,0],[0,0]], "radiusMm": 3, "entryLps": [0,0,0], "targetLps": [0,0,10] }""", "'points[1]' must be an array of 3 numbers")]
    [InlineData("""{ "points": [[0,0,0],[0,0,10]], "radiusMm": -3, "entryLps": [0,0,0], "targetLps": [0,0,10] }""", "radiusMm must be positive")]
    [InlineData("""{ "points": [[0,0,0],[0,0,10]], "radiusMm": 3, "entryLps": [0,0,0] }""", "missing field 'targetLps'")]
    [InlineData("""[1, 2]""", "top level must be a JSON object")]
    [InlineData("""{ "points": [[0,0,0],[0,0,10]], """, "not valid JSON")]
    public void Corridor_Load_InvalidFile_NamesFileAndField(string json, string expected)
    {
        string path = Path.Combine(_dir, "bad-corridor.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<TrajectoryFormatException>(() => CorridorJson.Load(path));
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.Equal(path, ex.SourceName);
    }

    [Fact]
    public void Trajectory_SaveLoad_RoundTripsExactly()
    {
        Trajectory t = Trajectory.Straight(new Vec3(-180, -95, 10), new Vec3(-70, 0, 10.5), 7.5, 3.3);
        string path = Path.Combine(_dir, "trajectory.json");
        TrajectoryJson.Save(t, path);
        Trajectory back = TrajectoryJson.Load(path);
        Assert.Equal(t.Samples.ToArray(), back.Samples.ToArray());

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement first = doc.RootElement.GetProperty("samples")[0];
        Assert.Equal(["tSeconds", "tipLps", "direction"], first.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Theory]
    [InlineData("""{ "samples": [ { "tSeconds": 0, "tipLps": [0,0,0], "direction": [0,0,1] }, { "tSeconds": 0, "tipLps": [0,0,1], "direction": [0,0,1] } ] }""", "samples[1].tSeconds")]
    [InlineData("""{ "samples": [ { "tSeconds": 0, "tipLps": [0,0,0], "direction": [0,0,1] }, { "tipLps": [0,0,1], "direction": [0,0,1] } ] }""", "missing field 'samples[1].tSeconds'")]
    [InlineData("""{ "samples": [ { "tSeconds": 0, "tipLps": [0,0,0], "direction": [0,0,0] }, { "tSeconds": 1, "tipLps": [0,0,1], "direction": [0,0,1] } ] }""", "samples[0].direction")]
    [InlineData("""{ "samples": [ { "tSeconds": 0, "tipLps": [0,"a",0], "direction": [0,0,1] } ] }""", "'samples[0].tipLps[1]' must be a finite number")]
    [InlineData("""{ "samples": 3 }""", "'samples' must be an array")]
    public void Trajectory_Load_InvalidFile_NamesFileAndField(string json, string expected)
    {
        string path = Path.Combine(_dir, "bad-trajectory.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<TrajectoryFormatException>(() => TrajectoryJson.Load(path));
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Save_OverExistingFile_ReplacesItAndLeavesNoTemporaryFiles()
    {
        string path = Path.Combine(_dir, "corridor.json");
        File.WriteAllText(path, "old");
        var corridor = new Corridor([Vec3.Zero, new Vec3(0, 0, 10)], 3, Vec3.Zero, new Vec3(0, 0, 10));
        CorridorJson.Save(corridor, path);
        Assert.Equal(3, CorridorJson.Load(path).RadiusMm);
        Assert.Equal([path], Directory.GetFiles(_dir));
    }
}
