using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Tests.Docs;

/// <summary>docs/safety.md must show the state machine the code builds. METAI_UPDATE_DOCS=1 rewrites the generated blocks.</summary>
public class SafetyDocsTests
{
    [Fact]
    public void SafetyMd_GeneratedBlocks_MatchTheCode()
    {
        string path = Path.Combine(TestRobots.RepositoryRoot(), "docs", "safety.md");
        string current = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        string fresh = SafetyDocs.Refresh(current);
        if (Environment.GetEnvironmentVariable("METAI_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, fresh);
            current = fresh;
        }

        Assert.True(fresh == current, "docs/safety.md is out of date: run `METAI_UPDATE_DOCS=1 dotnet test tests/MeTAI.Robotics.Tests --filter SafetyDocs`.");
        Assert.Contains("stateDiagram-v2", current, StringComparison.Ordinal);
        Assert.Contains("| TrackingError |", current, StringComparison.Ordinal);
    }
}
