using MeTAI.Hil.Scenarios;
using MeTAI.TestUtilities;

namespace MeTAI.Hil.Tests.Scenarios;

/// <summary>The wire faults in scenario files: what they need, and what is refused without it.</summary>
public sealed class WireFaultScenarioTests
{
    // Beside the bundled scenarios, so that the default robot (../robots/metai-arm6.json) resolves; never written.
    private static readonly string Source = RepositoryPaths.Config("hil", "wire.yaml");

    private static string Yaml(string fault) => $"""
        name: wire
        duration: 1
        start: following
        faults:
          - {fault}
        assertions:
          - kind: jointLimits
        """;

    [Fact]
    public void BusCollision_WithProbabilityAndDuration_IsRead()
    {
        Scenario s = ScenarioFile.Parse(Yaml("{ kind: busCollision, at: 0.2, duration: 0.4, probability: 1 }"), Source);
        FaultSpec f = Assert.Single(s.Faults);
        Assert.Equal((FaultKind.BusCollision, 1.0, 0.4), (f.Kind, f.Probability, f.DurationS));
    }

    [Fact]
    public void BaudMismatch_WithoutJoint_IsTheWholeChain()
    {
        Scenario s = ScenarioFile.Parse(Yaml("{ kind: baudMismatch, at: 0.2, duration: 0.4 }"), Source);
        Assert.Equal(-1, Assert.Single(s.Faults).Joint);
        s = ScenarioFile.Parse(Yaml("{ kind: baudMismatch, joint: 3, at: 0.2, duration: 0.4 }"), Source);
        Assert.Equal(2, Assert.Single(s.Faults).Joint);
    }

    [Theory]
    [InlineData("{ kind: busCollision, at: 0.2, duration: 0.4 }", "busCollision needs probability")]
    [InlineData("{ kind: busCollision, at: 0.2, probability: 0.5 }", "busCollision needs duration")]
    [InlineData("{ kind: baudMismatch, at: 0.2 }", "baudMismatch needs duration")]
    public void WireFault_MissingWhatItNeeds_IsRefusedNamingIt(string fault, string message)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioFile.Parse(Yaml(fault), Source));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("wire.yaml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SafetyChainFaults_AreRead_AndALoopStallNeedsItsDuration()
    {
        foreach ((string yaml, FaultKind kind) in new[]
        {
            ("{ kind: eStopDeviceSilent, at: 0.2 }", FaultKind.EStopDeviceSilent), ("{ kind: eStopCableCut, at: 0.2, duration: 0.3 }", FaultKind.EStopCableCut),
            ("{ kind: relayFeedStopped, at: 0.2, duration: 0.2 }", FaultKind.RelayFeedStopped), ("{ kind: relayStuckClosed, at: 0.2 }", FaultKind.RelayStuckClosed),
        })
        {
            Assert.Equal(kind, Assert.Single(ScenarioFile.Parse(Yaml(yaml), Source).Faults).Kind);
        }

        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioFile.Parse(Yaml("{ kind: relayFeedStopped, at: 0.2 }"), Source));
        Assert.Contains("relayFeedStopped needs duration", e.Message, StringComparison.Ordinal);
    }
}
