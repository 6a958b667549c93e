using MeTAI.Core.IO;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Radiotherapy;
using Il = MeTAI.Robotics.Safety.Interlocks;

namespace MeTAI.Cli.Tests.Commands.Hil;

/// <summary>
/// The two runs that back every bundled scenario (configs/hil/*.yaml) against the real controller over real transports:
/// as shipped it passes, and its paired negative run — the same scenario against a controller with the safety function
/// under test removed (<see cref="SafetyFunctionRemoval"/>) — breaks the assertions that back the claim. A positive run
/// that fails only on functional assertions (a spurious trip on a loaded machine, e.g. a late heartbeat) is retried up
/// to twice; a broken safety assertion fails at once. They run here, at the composition root, as <c>metai hil run</c>
/// runs them: a scenario that delivers a plan file has it read by <see cref="MeTAI.Cli.Commands.Hil.HilScenarios.PlanBeams"/>.
/// </summary>
internal static class BundledScenarioRuns
{
    public static readonly string[] NameList =
    [
        "nominal-teleop", "heartbeat-loss", "estop-during-motion", "joint-limit-approach", "corridor-violation", "serial-corruption-storm",
        "servo-timeout", "broker-restart", "stuck-joint", "deadman-release", "servo-overload", "radiotherapy-delivery",
        "bus-collision", "estop-device-silent",
    ];

    /// <summary>Each bundled scenario: the safety function its negative run removes, and the assertions that must then fail.</summary>
    public static readonly (string Name, string Removed, string[] MustFail)[] NegativeList =
    [
        ("nominal-teleop", "fixture", ["within-corridor"]),
        ("heartbeat-loss", nameof(Il.HapticHeartbeat), ["hold-within-watchdog"]),
        ("estop-during-motion", nameof(Il.EStop), ["torque-off-within-2-cycles"]),
        ("joint-limit-approach", "clamp", ["joint-limits"]),
        ("corridor-violation", "fixture+" + nameof(Il.CorridorViolation), ["within-corridor", "hold-on-violation"]),
        ("serial-corruption-storm", nameof(Il.ServoBus), ["fault-on-storm"]),
        ("servo-timeout", nameof(Il.ServoBus), ["fault-on-timeout"]),
        ("broker-restart", nameof(Il.BrokerConnection), ["hold-on-broker-loss"]),
        ("stuck-joint", nameof(Il.TrackingError), ["fault-on-tracking-error"]),
        ("deadman-release", nameof(Il.DeadmanReleased), ["hold-on-release"]),
        ("servo-overload", nameof(Il.ServoHardwareError), ["fault-on-overload"]),
        ("radiotherapy-delivery", "patient", ["beam-only-when-safe", "hold-on-patient-motion"]),
        ("bus-collision", nameof(Il.ServoBus), ["fault-on-collision"]),
        ("estop-device-silent", nameof(Il.EStopDeviceSilent), ["estop-on-silence"]),
    ];

    public static Scenario Load(string name) => ScenarioFile.Load(ConfigFiles.PathOf("hil", name + ".yaml"));

    /// <summary>True when the scenario delivers an RTPLAN file (its beams must be read by the caller).</summary>
    public static bool NeedsPlan(string name) => Load(name).Radiotherapy?.PlanPath is not null;

    /// <summary>The bundled scenarios that need a plan read (<paramref name="withPlan"/>) or not.</summary>
    public static TheoryData<string> Names(bool withPlan) => new(NameList.Where(n => NeedsPlan(n) == withPlan));

    /// <summary>The negative runs of the bundled scenarios that need a plan read (<paramref name="withPlan"/>) or not.</summary>
    public static TheoryData<string, string, string[]> Negatives(bool withPlan)
    {
        var data = new TheoryData<string, string, string[]>();
        foreach ((string name, string removed, string[] mustFail) in NegativeList.Where(n => NeedsPlan(n.Name) == withPlan))
        {
            data.Add(name, removed, mustFail);
        }

        return data;
    }

    /// <summary>The scenario passes as shipped (up to three attempts when only functional assertions fail).</summary>
    public static async Task AsShippedPassesAsync(string name, IReadOnlyList<BeamPose>? beams, Action<string> log)
    {
        Scenario s = Load(name);
        for (int attempt = 1; ; attempt++)
        {
            ScenarioResult r = await ScenarioRunner.RunAsync(s, new ScenarioRunOptions { Log = log, Beams = beams });
            Report(r, attempt, log);
            Assert.True(r.Violations == 0, $"{name}: safety assertion broken (attempt {attempt})");
            if (r.Passed || attempt == 3)
            {
                Assert.True(r.Passed, $"{name} failed {attempt} times");
                Assert.True(r.FaultsInjected >= 1 || name == "corridor-violation", "every bundled scenario injects a fault");
                return;
            }
        }
    }

    /// <summary>
    /// With <paramref name="removed"/> taken out of the controller, every one of <paramref name="mustFail"/> fails. A run
    /// is inconclusive — and run again, up to three attempts like the as-shipped runs — when it could not start, or when
    /// an assertion held while the controller had stopped on its own for something else (a servo-bus or tracking fault
    /// under load at the shipped 40 ms timeout stops the arm before it reaches the hazard the negative is about).
    /// </summary>
    public static async Task SafetyFunctionRemovedFailsAsync(string name, string removed, string[] mustFail, IReadOnlyList<BeamPose>? beams, Action<string> log)
    {
        Scenario s = Load(name);
        for (int attempt = 1; ; attempt++)
        {
            ScenarioResult r = await ScenarioRunner.RunAsync(s, new ScenarioRunOptions { Log = log, Beams = beams }.WithoutSafetyFunction(removed));
            Report(r, attempt, log);
            var held = mustFail.Select(id => r.Assertions.SingleOrDefault(x => x.Id == id)).Where(a => a is null || a.Passed).ToList();
            MeTAI.Hil.Traces.StateTransition? stop = r.Trace?.Transitions.FirstOrDefault(t => t.To is MeTAI.Robotics.Safety.SafetyState.Fault or MeTAI.Robotics.Safety.SafetyState.EStop or MeTAI.Robotics.Safety.SafetyState.Paused);
            bool inconclusive = r.Error is not null || (held.Count > 0 && stop is not null);
            if (inconclusive && attempt < 3)
            {
                log($"   inconclusive: {r.Error ?? $"stopped ({stop!.To}, {stop.Interlocks}) before the hazard"}; again");
                continue;
            }

            Assert.Null(r.Error);
            Assert.NotNull(r.UnsafeOptions);
            Assert.Contains(r.Trace!.Audit, e => e.Kind == "unsafeTestOptions");
            foreach (string id in mustFail)
            {
                AssertionResult a = r.Assertions.Single(x => x.Id == id);
                Assert.False(a.Passed, $"{name} with {removed} removed: '{id}' should fail but held ({a.Detail}; attempt {attempt})");
            }

            return;
        }
    }

    private static void Report(ScenarioResult r, int attempt, Action<string> log)
    {
        log($"— {r.Scenario.Name} attempt {attempt}: {(r.Passed ? "PASS" : "FAIL")} in {r.WallSeconds:F1} s, set-up attempts {r.SetupAttempts}{(r.Error is null ? "" : ", error " + r.Error)}");
        foreach (AssertionResult a in r.Assertions)
        {
            log($"   {(a.Passed ? "pass" : a.Exercised ? "FAIL" : "not exercised")} {a.Id}{(a.Safety ? " [safety]" : "")}: {a.Detail}");
        }
    }
}
