namespace MeTAI.Service.Tests.Browser;

/// <summary>
/// Browser tests run on their own, after the parallel test classes: Chromium, a Monte Carlo plan and the simulated
/// controller's 1 kHz loop should not share two cores with other classes' plans.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserTestGroup
{
    public const string Name = "Browser";
}
