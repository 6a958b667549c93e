using MeTAI.Dosimetry.Engines;

namespace MeTAI.Dosimetry.Tests.Engines;

/// <summary>One CPU engine (context + compiled kernel) shared by every Monte Carlo test; they run one after another.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture() => Engine = new MonteCarloEngine(DeviceKind.Cpu);

    public MonteCarloEngine Engine { get; }

    public void Dispose() => Engine.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MonteCarloTests : ICollectionFixture<EngineFixture>
{
    public const string Name = "MonteCarlo";
}
