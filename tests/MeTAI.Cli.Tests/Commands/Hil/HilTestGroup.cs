namespace MeTAI.Cli.Tests.Commands.Hil;

/// <summary>
/// The HIL tests run the real controller on real transports with reaction-time budgets (the safety claims under test):
/// on a 2-core machine they run alone, after the other CLI tests, never beside each other or a planning run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HilTestGroup
{
    public const string Name = "hil";
}
