using System.Text.RegularExpressions;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Tests.Docs;

/// <summary>
/// docs/safety-case.md is generated from <see cref="SafetyCase"/>; its claims must point at real things: every interlock
/// controls a hazard, every test and scenario named as evidence exists, every campaign fault kind is one the injector has.
/// </summary>
public class SafetyCaseDocsTests
{
    private static readonly string Root = TestRobots.RepositoryRoot();

    [Fact]
    public void SafetyCaseMd_GeneratedBlocks_MatchTheCode()
    {
        string path = Path.Combine(Root, "docs", "safety-case.md");
        string current = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        string fresh = SafetyCaseDocs.Refresh(current);
        if (Environment.GetEnvironmentVariable("METAI_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, fresh);
            current = fresh;
        }

        Assert.True(fresh == current, "docs/safety-case.md is out of date: run `METAI_UPDATE_DOCS=1 dotnet test tests/MeTAI.Robotics.Tests --filter SafetyCaseDocs`.");
        Assert.Contains("### H3 — Loss of the ability to stop", current, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryInterlock_ControlsAHazard()
    {
        var controlled = SafetyCase.Hazards.SelectMany(h => h.Controls).Select(c => c.Interlock).ToHashSet();
        List<Interlocks> uncontrolled = [.. InterlockCatalog.All.Where(i => !controlled.Contains(i))];
        Assert.Empty(uncontrolled);
        Assert.All(SafetyCase.Hazards, h => Assert.Contains(h.Controls, c => c.Kind != RiskControlKind.InformationForSafety));
    }

    [Fact]
    public void EveryTestNamedAsEvidence_Exists()
    {
        var missing = new List<string>();
        foreach (string reference in SafetyCase.Hazards.SelectMany(h => h.Controls).SelectMany(c => c.Tests).Distinct())
        {
            Match m = Regex.Match(reference, @"^(?<project>[A-Za-z]+\.Tests)/(?<class>\w+)\.(?<method>\w+)$");
            Assert.True(m.Success, $"'{reference}' is not Project.Tests/Class.Method");
            string dir = Path.Combine(Root, "tests", "MeTAI." + m.Groups["project"].Value);
            bool found = Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(File.ReadAllText)
                .Any(text => Regex.IsMatch(text, @"\bclass " + m.Groups["class"].Value + @"\b") && Regex.IsMatch(text, @"\b(void|Task) " + m.Groups["method"].Value + @"\("));
            if (!found)
            {
                missing.Add(reference);
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryScenarioAndFaultKindNamed_Exists()
    {
        var scenarios = SafetyCase.Hazards.SelectMany(h => h.Controls).SelectMany(c => c.Scenarios).Distinct();
        List<string> missingScenarios = [.. scenarios.Where(s => !File.Exists(Path.Combine(Root, "configs", "hil", s + ".yaml")))];
        Assert.Empty(missingScenarios);
        string faultKinds = File.ReadAllText(Path.Combine(Root, "hil", "MeTAI.Hil", "Scenarios", "FaultKind.cs"));
        var kinds = SafetyCase.Hazards.SelectMany(h => h.CampaignFaults).Distinct();
        List<string> missingKinds = [.. kinds.Where(k => !Regex.IsMatch(faultKinds, @"^\s+" + k + @",?\s*$", RegexOptions.Multiline))];
        Assert.Empty(missingKinds);
    }
}
