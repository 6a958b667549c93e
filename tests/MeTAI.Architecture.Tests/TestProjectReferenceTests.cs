namespace MeTAI.Architecture.Tests;

/// <summary>
/// DESIGN.md's rules for test projects and benchmarks: a test project references its own project (plus Core and the
/// shared test utilities), and no production project references the benchmarks project.
/// </summary>
public class TestProjectReferenceTests
{
    private const string TestUtilities = "MeTAI.TestUtilities";
    private const string Benchmarks = "MeTAI.Benchmarks";

    [Fact]
    public void TestProjects_ReferenceTheirOwnProjectCoreAndTestUtilitiesOnly()
    {
        var violations = new List<string>();
        foreach (string csproj in TestProjects())
        {
            string name = Path.GetFileNameWithoutExtension(csproj);
            string own = name[..^".Tests".Length];
            string[] allowed = name == "MeTAI.Architecture.Tests" ? [] : [own, "MeTAI.Core", TestUtilities];
            violations.AddRange(ProjectReferenceTests.ReferencesOf(csproj).Where(r => !allowed.Contains(r)).Select(r => $"{name} → {r}"));
        }

        Assert.True(violations.Count == 0, "Test project references DESIGN.md does not allow: " + string.Join(", ", violations));
    }

    [Fact]
    public void TestProjects_ShareCodeThroughTestUtilities_NotByLinkingAnotherTestProjectsFiles()
    {
        var links = TestProjects()
            .SelectMany(p => System.Xml.Linq.XDocument.Load(p).Descendants("Compile")
                .Select(e => (string?)e.Attribute("Include") ?? string.Empty)
                .Where(i => i.Contains(".Tests/", StringComparison.Ordinal) || i.Contains(".Tests\\", StringComparison.Ordinal))
                .Select(i => $"{Path.GetFileNameWithoutExtension(p)} links {i}"))
            .ToList();
        Assert.True(links.Count == 0, "Shared test code belongs in tests/MeTAI.TestUtilities: " + string.Join(", ", links));
    }

    [Fact]
    public void TestUtilities_ReferenceCoreOnly()
    {
        string csproj = Path.Combine(ProjectReferenceTests.RepositoryRoot(), "tests", TestUtilities, TestUtilities + ".csproj");
        Assert.True(File.Exists(csproj), csproj + " is missing");
        Assert.All(ProjectReferenceTests.ReferencesOf(csproj), r => Assert.Equal("MeTAI.Core", r));
    }

    [Fact]
    public void ProductionProjects_DoNotReferenceTheBenchmarks()
    {
        var offenders = ProjectReferenceTests.ProductionProjects()
            .Where(p => Path.GetFileNameWithoutExtension(p) != Benchmarks)
            .Where(p => ProjectReferenceTests.ReferencesOf(p).Contains(Benchmarks))
            .Select(Path.GetFileNameWithoutExtension)
            .ToList();
        Assert.True(offenders.Count == 0, "Production projects referencing the benchmarks: " + string.Join(", ", offenders));
        Assert.Contains(ProjectReferenceTests.ProductionProjects(), p => Path.GetFileNameWithoutExtension(p) == Benchmarks);
    }

    private static IEnumerable<string> TestProjects() =>
        Directory.EnumerateFiles(Path.Combine(ProjectReferenceTests.RepositoryRoot(), "tests"), "*.Tests.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
}
