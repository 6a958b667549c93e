using System.Text.Json;
using System.Text.Json.Nodes;
using MeTAI.Core.Geometry;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.Rehearse;

/// <summary>
/// <c>metai rehearse</c> on the asymmetric phantom pydicom writes for a patient position (<see cref="PositionPhantom"/>):
/// gravity and the couch follow the position written in the CT — supine sags toward the back and is entered from the
/// front, prone the other way round, a patient on the left side is held on the left flank — and summary.json says so.
/// </summary>
public class RehearsePositionTests
{
    [Theory]
    [InlineData("HFS")]
    [InlineData("HFP")]
    [InlineData("HFDL")]
    public void Rehearse_EachPosition_GravityAndCouchFollowTheCt(string code)
    {
        string caseDir = PositionPhantom.Write(code, CliRunner.TempDir("rehearse-position-" + code));
        string config = AvatarConfig(caseDir);
        string outDir = CliRunner.TempDir("rehearse-position-out-" + code);
        (int exit, string stdout, string stderr) = CliRunner.Run("rehearse", "--case", caseDir, "--target", "PTV", "--avoid", "Bone", "--avatar-config", config,
            "--out", outDir, "--resolution-mm", "20", "--candidates", "4", "--speed-mm-s", "60", "--threads", "2");
        PatientPosition position = PatientPositions.Parse(code, "test");
        Assert.True(exit is 0 or 1, stderr + stdout);
        Assert.Contains($"patient position {code} ({position.Describe()}, from Patient Position (0018,5100) of ", stdout, StringComparison.Ordinal);

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        JsonElement root = summary.RootElement;
        Assert.Equal(code, root.GetProperty("patientPosition").GetString());
        double[] g = [.. root.GetProperty("gravityLps").EnumerateArray().Select(e => e.GetDouble())];
        Vec3 down = position.GravityLps();
        Assert.Equal(9.81, Vec3.Dot(new Vec3(g[0], g[1], g[2]), down), 6);

        // Every simulated entry is off the couch side: the couch is where gravity points.
        using JsonDocument trajectories = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "trajectories.json")));
        Vec3 target = Point(root.GetProperty("chosen").GetProperty("targetLps"));
        foreach (JsonElement c in trajectories.RootElement.GetProperty("candidates").EnumerateArray())
        {
            Vec3 d = Point(c.GetProperty("entryLps")) - target;
            Assert.True(Vec3.Dot(d, down) <= 0.3 * d.Length + 1e-6, $"{code}: entry {Point(c.GetProperty("entryLps"))} is on the couch side");
        }

        Assert.True(File.Exists(Path.Combine(outDir, "rehearsal.png")));
    }

    [Fact]
    public void Rehearse_CtWithoutPosition_IsRefusedInOneLine()
    {
        string caseDir = PositionPhantom.Write("HFS", CliRunner.TempDir("rehearse-position-none"), 10, "--no-position");
        string outDir = CliRunner.TempDir("rehearse-position-none-out");
        (int exit, _, string stderr) = CliRunner.Run("rehearse", "--case", caseDir, "--target", "PTV", "--avatar-config", AvatarConfig(caseDir), "--out", outDir);
        Assert.Equal(1, exit);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDir)); // refused before anything is simulated or written
        Assert.StartsWith($"metai: CT {Path.Combine(caseDir, "ct")}", stderr, StringComparison.Ordinal);
        Assert.Contains("Patient Position (0018,5100) is missing", stderr, StringComparison.Ordinal);
    }

    /// <summary>The liver-needle tissues on the phantom's ROIs: Body (body wall), PTV (tumour), Bone (fixed).</summary>
    private static string AvatarConfig(string caseDir)
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(Path.Combine(CliRunner.RepositoryRoot(), "configs", "avatars", "liver-needle.json")))!;
        config["name"] = "position-phantom";
        config["structures"] = new JsonArray(
            new JsonObject { ["roi"] = "Body", ["tissue"] = "body-wall" },
            new JsonObject { ["roi"] = "PTV", ["tissue"] = "tumour" },
            new JsonObject { ["roi"] = "Bone", ["tissue"] = "bone" });
        string path = Path.Combine(caseDir, "avatar.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static Vec3 Point(JsonElement e) => new(e[0].GetDouble(), e[1].GetDouble(), e[2].GetDouble());
}
