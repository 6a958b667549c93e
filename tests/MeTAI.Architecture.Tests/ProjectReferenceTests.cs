using System.Xml.Linq;

namespace MeTAI.Architecture.Tests;

/// <summary>Enforces the dependency rules of DESIGN.md on every project file in the repository.</summary>
public class ProjectReferenceTests
{
    // DESIGN.md, "Allowed project references". Cli and Service are composition roots and may reference anything.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["MeTAI.Core"] = [],
        ["MeTAI.Dicom"] = ["MeTAI.Core"],
        ["MeTAI.Dosimetry"] = ["MeTAI.Core"],
        ["MeTAI.Planner"] = ["MeTAI.Core", "MeTAI.Dosimetry", "MeTAI.Dicom"],
        ["MeTAI.Rehearsal"] = ["MeTAI.Core"],
        ["MeTAI.Robotics"] = ["MeTAI.Core"],
        ["MeTAI.Simulation"] = ["MeTAI.Core", "MeTAI.Robotics"],
        ["MeTAI.Hil"] = ["MeTAI.Core", "MeTAI.Robotics", "MeTAI.Simulation"],
    };

    private static readonly string[] CompositionRoots = ["MeTAI.Cli", "MeTAI.Service"];

    // The benchmarks are out of production (nothing in production references them: TestProjectReferenceTests) and may
    // reference anything, the CLI included (they reuse its option parsing).
    private const string Benchmarks = "MeTAI.Benchmarks";

    internal static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "MeTAI.Intervention.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Repository root (MeTAI.Intervention.sln) not found above " + AppContext.BaseDirectory);
    }

    internal static IEnumerable<string> ProductionProjects()
    {
        string root = RepositoryRoot();
        foreach (string folder in new[] { "core", "dosimetry", "planner", "robotics", "hil", "app" })
        {
            string path = Path.Combine(root, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (string csproj in Directory.EnumerateFiles(path, "*.csproj", SearchOption.AllDirectories))
            {
                yield return csproj;
            }
        }
    }

    internal static IReadOnlyList<string> ReferencesOf(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/')))
            .ToList();

    [Fact]
    public void EveryProductionProject_IsKnownToTheRules()
    {
        var names = ProductionProjects().Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Contains("MeTAI.Core", names);
        Assert.Contains("MeTAI.Dicom", names);
        Assert.Contains("MeTAI.Cli", names);
        foreach (string? name in names)
        {
            Assert.True(Allowed.ContainsKey(name!) || CompositionRoots.Contains(name) || name == Benchmarks, $"Project {name} is not in DESIGN.md's layout.");
        }
    }

    [Fact]
    public void ProjectReferences_FollowDesignRules()
    {
        var violations = new List<string>();
        foreach (string csproj in ProductionProjects())
        {
            string name = Path.GetFileNameWithoutExtension(csproj);
            if (CompositionRoots.Contains(name) || name == Benchmarks)
            {
                continue;
            }

            foreach (string reference in ReferencesOf(csproj))
            {
                if (!Allowed.TryGetValue(name, out string[]? allowed) || !allowed.Contains(reference))
                {
                    violations.Add($"{name} → {reference}");
                }
            }
        }

        Assert.True(violations.Count == 0, "References DESIGN.md does not allow: " + string.Join(", ", violations));
    }

    [Fact]
    public void Rules_RejectAForbiddenReference()
    {
        // The checker itself must be able to fail: Dosimetry → Dicom is not allowed.
        Assert.DoesNotContain("MeTAI.Dicom", Allowed["MeTAI.Dosimetry"]);
        Assert.DoesNotContain("MeTAI.Robotics", Allowed["MeTAI.Rehearsal"]);
        Assert.Empty(Allowed["MeTAI.Core"]);
    }

    [Fact]
    public void Service_DoesNotReferenceTheHilHarness()
    {
        // The service's simulated controller is MeTAI.Simulation's rig; the test harness does not ship with the service,
        // neither directly nor through another project.
        var projects = ProductionProjects().ToDictionary(p => Path.GetFileNameWithoutExtension(p), StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(ReferencesOf(projects["MeTAI.Service"]));
        while (pending.TryPop(out string? name))
        {
            if (reached.Add(name) && projects.TryGetValue(name, out string? csproj))
            {
                foreach (string reference in ReferencesOf(csproj))
                {
                    pending.Push(reference);
                }
            }
        }

        Assert.Contains("MeTAI.Simulation", reached);
        Assert.DoesNotContain("MeTAI.Hil", reached);
    }

    [Fact]
    public void TestsFolder_HoldsTestProjectsAndTheSharedTestUtilities()
    {
        string root = RepositoryRoot();
        foreach (string csproj in Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.csproj", SearchOption.AllDirectories))
        {
            string name = Path.GetFileNameWithoutExtension(csproj);
            Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal) || name == "MeTAI.TestUtilities", $"{name}: tests/ holds MeTAI.X.Tests projects and MeTAI.TestUtilities only");
        }
    }
}
