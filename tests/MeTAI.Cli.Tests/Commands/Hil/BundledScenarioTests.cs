using Xunit.Abstractions;

namespace MeTAI.Cli.Tests.Commands.Hil;

/// <summary>
/// Every bundled scenario that needs no RTPLAN read, as shipped and with its safety function removed
/// (<see cref="BundledScenarioRuns"/>); the ones that deliver a plan file are in <see cref="BundledPlanScenarioTests"/>.
/// </summary>
[Collection(HilTestGroup.Name)]
public class BundledScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public void BundledScenarios_AreAllListed()
    {
        string dir = Path.Combine(CliRunner.RepositoryRoot(), "configs", "hil");
        var files = Directory.GetFiles(dir, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, BundledScenarioRuns.NameList.Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(f, BundledScenarioRuns.Load(f!).Name));
    }

    [Theory]
    [MemberData(nameof(BundledScenarioRuns.Names), false, MemberType = typeof(BundledScenarioRuns))]
    public Task Bundled_AsShipped_Passes(string name) => BundledScenarioRuns.AsShippedPassesAsync(name, beams: null, output.WriteLine);

    [Fact]
    public void Negatives_CoverEveryBundledScenario() =>
        Assert.Equal(BundledScenarioRuns.NameList.Order(StringComparer.Ordinal), BundledScenarioRuns.NegativeList.Select(n => n.Name).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(BundledScenarioRuns.Negatives), false, MemberType = typeof(BundledScenarioRuns))]
    public Task Bundled_SafetyFunctionRemoved_AssertionsFail(string name, string removed, string[] mustFail) =>
        BundledScenarioRuns.SafetyFunctionRemovedFailsAsync(name, removed, mustFail, beams: null, output.WriteLine);
}
