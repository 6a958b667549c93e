using MeTAI.Cli.Commands.Hil;
using Xunit.Abstractions;

namespace MeTAI.Cli.Tests.Commands.Hil;

/// <summary>
/// The bundled scenarios that deliver an RTPLAN file, as shipped and with their safety function removed
/// (<see cref="BundledScenarioRuns"/>; <see cref="BundledScenarioTests"/> runs the others): the plan is read as
/// <c>metai hil run</c> reads it, <see cref="HilScenarios.PlanBeams"/>.
/// </summary>
[Collection(HilTestGroup.Name)]
public class BundledPlanScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(BundledScenarioRuns.Names), true, MemberType = typeof(BundledScenarioRuns))]
    public Task Bundled_AsShipped_Passes(string name) =>
        BundledScenarioRuns.AsShippedPassesAsync(name, HilScenarios.PlanBeams(BundledScenarioRuns.Load(name)), output.WriteLine);

    [Theory]
    [MemberData(nameof(BundledScenarioRuns.Negatives), true, MemberType = typeof(BundledScenarioRuns))]
    public Task Bundled_SafetyFunctionRemoved_AssertionsFail(string name, string removed, string[] mustFail) =>
        BundledScenarioRuns.SafetyFunctionRemovedFailsAsync(name, removed, mustFail, HilScenarios.PlanBeams(BundledScenarioRuns.Load(name)), output.WriteLine);
}
