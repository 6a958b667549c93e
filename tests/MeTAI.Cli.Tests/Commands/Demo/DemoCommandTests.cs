using System.Text.Json;
using MeTAI.Cli.Tests.Commands.Hil;

namespace MeTAI.Cli.Tests.Commands.Demo;

/// <summary>The demo runs HIL scenarios with reaction-time budgets, so it runs with the HIL tests, alone.</summary>
[Collection(HilTestGroup.Name)]
public class DemoCommandTests
{
    [Fact]
    public void Demo_Quick_RunsEveryPartAndEveryListedFileExists()
    {
        string dir = CliRunner.TempDir("demo");

        (int code, string stdout, string stderr) = CliRunner.Run("demo", "--out", dir, "--quick");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("every listed file exists", stdout, StringComparison.Ordinal);
        Assert.Contains("Prostate plan goals", stdout, StringComparison.Ordinal);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        JsonElement parts = summary.RootElement.GetProperty("parts");
        Assert.Contains(parts.EnumerateArray(), p => p.GetProperty("name").GetString()!.StartsWith("Plan prostate", StringComparison.Ordinal));
        Assert.Contains(parts.EnumerateArray(), p => p.GetProperty("name").GetString()!.StartsWith("Rehearse liver-needle", StringComparison.Ordinal));

        // Both HIL scenarios ran against the real controller with their fault and kept every safety assertion.
        JsonElement[] hil = [.. parts.EnumerateArray().Where(p => p.GetProperty("name").GetString()!.StartsWith("HIL ", StringComparison.Ordinal))];
        Assert.Equal(2, hil.Length);
        Assert.All(hil, p => Assert.True(p.GetProperty("passed").GetBoolean(), p.GetProperty("figures").GetString()));
        Assert.Contains("beam-on interval", hil[1].GetProperty("figures").GetString()!, StringComparison.Ordinal);
        foreach (JsonElement part in parts.EnumerateArray())
        {
            foreach (JsonElement file in part.GetProperty("files").EnumerateArray())
            {
                string path = file.GetString()!;
                Assert.True(path.EndsWith('/') ? Directory.Exists(path) : File.Exists(path), path);
            }
        }

        // The plan is real DICOM RT with MLC segments, and the rehearsal hands the controller a corridor.
        Assert.True(new FileInfo(Path.Combine(dir, "plan", "rtplan.dcm")).Length > 1000);
        using JsonDocument corridor = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "rehearsal", "corridor.json")));
        Assert.True(corridor.RootElement.GetProperty("radiusMm").GetDouble() > 0);
    }
}
