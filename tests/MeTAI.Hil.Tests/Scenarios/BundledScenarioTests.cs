using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Radiotherapy;
using Il = MeTAI.Robotics.Safety.Interlocks;
using Xunit.Abstractions;

namespace MeTAI.Hil.Tests.Scenarios;

/// <summary>
/// Every bundled scenario (configs/hil/*.yaml) against the real controller over real transports: it passes as shipped,
/// and its paired negative run — the same scenario against a controller with the safety function under test removed
/// (<see cref="UnsafeTestOptions"/>) — breaks the assertions that back the claim. A positive run that fails only on
/// functional assertions (a spurious trip on a loaded machine, e.g. a late heartbeat) is retried up to twice; a broken
/// safety assertion fails at once.
/// </summary>
public class BundledScenarioTests(ITestOutputHelper output)
{
    internal static readonly string[] NameList =
    [
        "nominal-teleop", "heartbeat-loss", "estop-during-motion", "joint-limit-approach", "corridor-violation", "serial-corruption-storm",
        "servo-timeout", "broker-restart", "stuck-joint", "deadman-release", "servo-overload", "radiotherapy-delivery",
    ];

    public static TheoryData<string> Names { get; } = new(NameList);

    internal static Scenario Load(string name) =>
        ScenarioFile.Load(Path.Combine(TestRobots.RepositoryRoot(), "configs", "hil", name + ".yaml"));

    internal static ScenarioRunOptions Options(Scenario s, Action<string> log, UnsafeTestOptions? unsafeOptions = null) => new()
    {
        Log = log,
        Beams = s.Radiotherapy?.PlanPath is { } plan ? PlanBeams.Read(plan) : null,
        Unsafe = unsafeOptions,
    };

    [Fact]
    public void BundledScenarios_AreAllListed()
    {
        string dir = Path.Combine(TestRobots.RepositoryRoot(), "configs", "hil");
        var files = Directory.GetFiles(dir, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, NameList.Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(f, Load(f!).Name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bundled_AsShipped_Passes(string name)
    {
        Scenario s = Load(name);
        for (int attempt = 1; ; attempt++)
        {
            ScenarioResult r = await ScenarioRunner.RunAsync(s, Options(s, output.WriteLine));
            Report(r, attempt);
            Assert.True(r.Violations == 0, $"{name}: safety assertion broken (attempt {attempt})");
            if (r.Passed || attempt == 3)
            {
                Assert.True(r.Passed, $"{name} failed {attempt} times");
                Assert.True(r.FaultsInjected >= 1 || name == "corridor-violation", "every bundled scenario injects a fault");
                return;
            }
        }
    }

    public static TheoryData<string, string, string[]> Negatives { get; } = new()
    {
        { "nominal-teleop", "fixture", ["within-corridor"] },
        { "heartbeat-loss", nameof(Il.HapticHeartbeat), ["hold-within-watchdog"] },
        { "estop-during-motion", nameof(Il.EStop), ["torque-off-within-2-cycles"] },
        { "joint-limit-approach", "clamp", ["joint-limits"] },
        { "corridor-violation", "fixture+" + nameof(Il.CorridorViolation), ["within-corridor", "hold-on-violation"] },
        { "serial-corruption-storm", nameof(Il.ServoBus), ["fault-on-storm"] },
        { "servo-timeout", nameof(Il.ServoBus), ["fault-on-timeout"] },
        { "broker-restart", nameof(Il.BrokerConnection), ["hold-on-broker-loss"] },
        { "stuck-joint", nameof(Il.TrackingError), ["fault-on-tracking-error"] },
        { "deadman-release", nameof(Il.DeadmanReleased), ["hold-on-release"] },
        { "servo-overload", nameof(Il.ServoHardwareError), ["fault-on-overload"] },
        { "radiotherapy-delivery", "patient", ["beam-only-when-safe", "hold-on-patient-motion"] },
    };

    [Fact]
    public void Negatives_CoverEveryBundledScenario() =>
        Assert.Equal(NameList.Order(StringComparer.Ordinal), Negatives.Select((object[] n) => (string)n[0]).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Negatives))]
    public async Task Bundled_SafetyFunctionRemoved_AssertionsFail(string name, string removed, string[] mustFail)
    {
        var unsafeOptions = removed switch
        {
            "fixture" => new UnsafeTestOptions { DisableCorridorFixture = true },
            "clamp" => new UnsafeTestOptions { SkipJointLimitClamp = true },
            "patient" => new UnsafeTestOptions { IgnoredBeamHoldReasons = BeamHoldReasons.PatientMotion },
            _ when removed.StartsWith("fixture+", StringComparison.Ordinal) => new UnsafeTestOptions
            {
                DisableCorridorFixture = true,
                DisabledInterlocks = Enum.Parse<Il>(removed["fixture+".Length..]),
            },
            _ => new UnsafeTestOptions { DisabledInterlocks = Enum.Parse<Il>(removed) },
        };
        Scenario s = Load(name);
        ScenarioResult r = await ScenarioRunner.RunAsync(s, Options(s, output.WriteLine, unsafeOptions));
        Report(r, 1);
        Assert.Null(r.Error);
        Assert.NotNull(r.UnsafeOptions);
        Assert.Contains(r.Trace!.Audit, e => e.Kind == "unsafeTestOptions");
        foreach (string id in mustFail)
        {
            AssertionResult a = r.Assertions.Single(x => x.Id == id);
            Assert.False(a.Passed, $"{name} with {removed} removed: '{id}' should fail but held ({a.Detail})");
        }
    }

    private void Report(ScenarioResult r, int attempt)
    {
        output.WriteLine($"— {r.Scenario.Name} attempt {attempt}: {(r.Passed ? "PASS" : "FAIL")} in {r.WallSeconds:F1} s, set-up attempts {r.SetupAttempts}{(r.Error is null ? "" : ", error " + r.Error)}");
        foreach (AssertionResult a in r.Assertions)
        {
            output.WriteLine($"   {(a.Passed ? "pass" : a.Exercised ? "FAIL" : "not exercised")} {a.Id}{(a.Safety ? " [safety]" : "")}: {a.Detail}");
        }
    }
}
