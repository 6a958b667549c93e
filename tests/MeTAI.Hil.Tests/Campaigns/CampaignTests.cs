using Il = MeTAI.Robotics.Safety.Interlocks;
using MeTAI.Hil.Campaigns;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Control;
using MeTAI.TestUtilities;
using Xunit.Abstractions;

namespace MeTAI.Hil.Tests.Campaigns;

/// <summary>
/// The fault campaign: its draws are reproducible from the seed and always judged by the safety assertions; a short
/// campaign against the real controller finds no violation, and one against a controller with the e-stop interlock
/// removed finds it and names the run seed, whose replay against the real controller holds.
/// </summary>
public class CampaignTests(ITestOutputHelper output)
{
    private static string RobotPath => RepositoryPaths.Config("robots", "metai-arm6.json");

    private static string Fingerprint(Scenario s) =>
        $"{s.DurationS}|{s.MasterMotion?.Kind}|{s.MasterMotion?.RadiusM}|{s.MasterMotion?.Vector}|{s.MasterMotion?.PeriodS}|" +
        string.Join(";", s.Faults.Select(f => $"{f.Id}@{f.AtS}:{f.Describe()}:{f.Joint}")) + "|" + string.Join(";", s.Assertions.Select(a => a.Id));

    [Fact]
    public void RunSeed_IsDeterministicAndDistinctAcrossRuns()
    {
        Assert.Equal(Campaign.RunSeed(1, 5), Campaign.RunSeed(1, 5));
        var seeds = Enumerable.Range(0, 10_000).Select(i => Campaign.RunSeed(1, i)).ToList();
        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        Assert.All(seeds, s => Assert.True(s >= 0));
    }

    [Fact]
    public void Generate_SameSeed_SameScenario()
    {
        for (int i = 0; i < 50; i++)
        {
            int seed = Campaign.RunSeed(42, i);
            Assert.Equal(Fingerprint(CampaignScenario.Generate(seed, RobotPath)), Fingerprint(CampaignScenario.Generate(seed, RobotPath)));
        }

        Assert.NotEqual(Fingerprint(CampaignScenario.Generate(1, RobotPath)), Fingerprint(CampaignScenario.Generate(2, RobotPath)));
    }

    [Fact]
    public void Generate_ManySeeds_FaultsInsideTheRunAndTheSafetyAssertionsAlwaysThere()
    {
        var kinds = new HashSet<FaultKind>();
        for (int i = 0; i < 500; i++)
        {
            Scenario s = CampaignScenario.Generate(Campaign.RunSeed(1, i), RobotPath);
            Assert.InRange(s.Faults.Count, 1, 3);
            Assert.All(s.Faults, f =>
            {
                Assert.Contains(f.Kind, CampaignScenario.FaultKinds);
                Assert.InRange(f.AtS, 0.15, s.DurationS - 0.3);
                kinds.Add(f.Kind);
            });
            foreach (string id in new[] { "joint-limits", "goal-steps", "still-while-held", "latched-torque-off" })
            {
                Assert.True(s.Assertions.Single(a => a.Id == id).Safety, id);
            }

            var faultIds = s.Faults.Select(f => f.Id).ToHashSet();
            Assert.All(s.Assertions.Where(a => a.Fault is not null), a => Assert.Contains(a.Fault!, faultIds));
            Assert.All(s.Assertions, a => Assert.True(a.Safety, $"{a.Id}: a campaign judges safety only"));
        }

        Assert.Equal(CampaignScenario.FaultKinds.Count, kinds.Count);
    }

    [Fact]
    public void Settings_AreTheShippedDefaults_ReadFromTheRigOptions()
    {
        CampaignSettings s = Campaign.SettingsOf(new CampaignOptions { RobotPath = RobotPath });
        var shipped = new ControllerOptions();
        Assert.Equal(shipped.HeartbeatWatchdogMs, s.HeartbeatWatchdogMs);
        Assert.Equal(shipped.PoseWatchdogMs, s.PoseWatchdogMs);
        Assert.Equal(shipped.ServoTimeoutMs, s.ServoTimeoutMs);
        Assert.Equal(shipped.TrackingLagMs, s.TrackingLagMs);
        Assert.True(s.AreShippedDefaults);
        Assert.False(s.Realtime);
    }

    [Fact]
    public void Generate_WireFaults_FaultDemandedOnlyWhenNothingCanCrossTheWire()
    {
        // A rogue talker babbling all the time (probability 1) and a baud-rate mismatch long enough demand Fault on
        // ServoBus; a talker that leaves gaps demands nothing (some transactions get through) but is judged for safety.
        bool babble = false, intermittent = false, oneServo = false, chain = false;
        for (int i = 0; i < 3000 && !(babble && intermittent && oneServo && chain); i++)
        {
            Scenario s = CampaignScenario.Generate(Campaign.RunSeed(7, i), RobotPath);
            foreach (FaultSpec f in s.Faults.Where(f => f.Kind is FaultKind.BusCollision or FaultKind.BaudMismatch))
            {
                AssertionSpec? a = s.Assertions.SingleOrDefault(a => a.Fault == f.Id && a.Kind == AssertionKind.Reaction);
                bool longEnough = f.DurationS * 1000 > new ControllerOptions().ServoTimeoutMs + 60;
                if (f.Kind == FaultKind.BusCollision && f.Probability < 1)
                {
                    Assert.Null(a);
                    Assert.InRange(f.Probability, 0.05, 0.35);
                    intermittent = true;
                    continue;
                }

                Assert.Equal(longEnough, a is not null);
                if (a is not null)
                {
                    Assert.Equal(Il.ServoBus, a.Interlock);
                    Assert.Contains(Robotics.Safety.SafetyState.Fault, a.States);
                    babble |= f.Kind == FaultKind.BusCollision;
                    oneServo |= f.Kind == FaultKind.BaudMismatch && f.Joint >= 0;
                    chain |= f.Kind == FaultKind.BaudMismatch && f.Joint < 0;
                }
            }
        }

        Assert.True(babble && intermittent && oneServo && chain, $"babble {babble}, intermittent {intermittent}, one servo {oneServo}, whole chain {chain}");
    }

    [Fact]
    public void Generate_SafetyChainFaults_AlwaysDemandTheirReactionsFirst()
    {
        // The e-stop device's silence → EStop (its watchdog); the wired loop cut → EStop (read-back); a loop stall that
        // stops the relay feed → Fault (ServoPower); welded contacts → a disable follows, and Fault (ServoPower, stuck).
        var seen = new Dictionary<FaultKind, int>();
        ControllerOptions shipped = new();
        for (int i = 0; i < 3000 && seen.Count < 4; i++)
        {
            Scenario s = CampaignScenario.Generate(Campaign.RunSeed(9, i), RobotPath);
            foreach (FaultSpec f in s.Faults.Where(f => f.Kind is FaultKind.EStopDeviceSilent or FaultKind.EStopCableCut or FaultKind.RelayFeedStopped or FaultKind.RelayStuckClosed))
            {
                AssertionSpec a = Assert.Single(s.Assertions, a => a.Fault == f.Id && a.Kind == AssertionKind.Reaction);
                Assert.Equal(s.Faults.Min(x => x.AtS), f.AtS); // a reacting fault is placed first
                (Il interlock, Robotics.Safety.SafetyState state) = f.Kind switch
                {
                    FaultKind.EStopDeviceSilent => (Il.EStopDeviceSilent, Robotics.Safety.SafetyState.EStop),
                    FaultKind.EStopCableCut => (Il.EStop, Robotics.Safety.SafetyState.EStop),
                    _ => (Il.ServoPower, Robotics.Safety.SafetyState.Fault),
                };
                Assert.Equal(interlock, a.Interlock);
                Assert.Equal(state, a.States[0]);
                if (f.Kind == FaultKind.EStopDeviceSilent)
                {
                    Assert.True(f.DurationS * 1000 > shipped.EStopWatchdogMs + 20, "a silence shorter than the watchdog demands nothing");
                }

                if (f.Kind == FaultKind.RelayStuckClosed)
                {
                    TimelineStep disable = Assert.Single(s.Timeline);
                    Assert.Equal((StepKind.Command, ControllerCommandKind.Disable), (disable.Kind, disable.Command));
                    Assert.InRange(disable.AtS, f.AtS, f.AtS + f.DurationS);
                }

                seen[f.Kind] = seen.GetValueOrDefault(f.Kind) + 1;
            }
        }

        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public void Generate_StalenessFaults_DemandTheirReactions()
    {
        // Poses stopped with the heartbeat alive → hold on MasterPoseStale; feedback stale with commands landing → Fault;
        // a deadman release is held either by the release or by the pose watchdog (the release travels in the poses).
        bool poses = false, feedback = false, deadman = false;
        for (int i = 0; i < 3000 && !(poses && feedback && deadman); i++)
        {
            Scenario s = CampaignScenario.Generate(Campaign.RunSeed(5, i), RobotPath);
            foreach (AssertionSpec a in s.Assertions.Where(a => a.Kind == AssertionKind.Reaction))
            {
                FaultSpec f = s.Faults.Single(x => x.Id == a.Fault);
                poses |= f.Kind == FaultKind.PosesStop && a.Interlock == Il.MasterPoseStale && a.WithinMs == new ControllerOptions().PoseWatchdogMs + 3;
                feedback |= f.Kind == FaultKind.ServoFeedbackStale && a.Interlock == Il.ServoBus && a.States.Contains(Robotics.Safety.SafetyState.Fault);
                deadman |= f.Kind == FaultKind.DeadmanRelease && a.Interlock == (Il.DeadmanReleased | Il.MasterPoseStale);
            }
        }

        Assert.True(poses && feedback && deadman, $"posesStop {poses}, servoFeedbackStale {feedback}, deadmanRelease {deadman}");
    }

    [Fact]
    public async Task Campaign_ShortRun_NoViolations()
    {
        CampaignResult r = await Campaign.RunAsync(new CampaignOptions { Runs = 8, Seed = 11, RobotPath = RobotPath, Log = output.WriteLine });
        output.WriteLine($"{r.Runs} runs, {r.Violations} violations, {r.FaultsInjected} faults, {r.Errors} errors: {string.Join("; ", r.ErrorSamples)}");
        Assert.Equal(8, r.Runs);
        Assert.True(r.Violations == 0, $"seed {r.FirstFailingSeed}: {r.FirstFailure}");
        Assert.Null(r.FirstFailingSeed);
        Assert.True(r.FaultsInjected >= 8);
        Assert.Equal(r.FaultsInjected, r.FaultsByKind.Values.Sum());
        Assert.Equal(ScheduledByKind(11, 0, 8), r.FaultsScheduledByKind.OrderBy(k => k.Key, StringComparer.Ordinal));
    }

    // The faults a campaign's runs [first, first + count) schedule, by kind, straight from the generator.
    private static IEnumerable<KeyValuePair<string, int>> ScheduledByKind(int seed, int first, int count) =>
        Enumerable.Range(first, count).SelectMany(i => CampaignScenario.Generate(Campaign.RunSeed(seed, i), RobotPath).Faults)
            .GroupBy(f => CampaignRunRecord.KindName(f.Kind)).Select(g => KeyValuePair.Create(g.Key, g.Count())).OrderBy(k => k.Key, StringComparer.Ordinal);

    [Fact]
    public async Task CampaignUnitRunner_TwoUnitsOnOneSlot_TheCampaignsRunsEachOnce()
    {
        // Runs [0, 2) and [2, 3) of a 3-run campaign as two units (as two machines would take them), merged.
        var options = new CampaignOptions { Runs = 3, Seed = 11, RobotPath = RobotPath, Log = output.WriteLine };
        var slot = new CampaignRigSlot();
        var records = new List<CampaignRunRecord>();
        await using (slot)
        {
            records.AddRange(await CampaignUnitRunner.RunAsync(options, 2, 1, slot));
            records.AddRange(await CampaignUnitRunner.RunAsync(options, 0, 2, slot));
        }

        Assert.Equal([2, 0, 1], records.Select(r => r.Index));
        Assert.All(records, r => Assert.Equal(Campaign.RunSeed(11, r.Index), r.Seed));
        CampaignResult merged = CampaignMerge.Merge(records, Campaign.SettingsOf(options), 11, 1, 0);
        Assert.Equal(3, merged.Runs);
        Assert.True(merged.Violations == 0, $"seed {merged.FirstFailingSeed}: {merged.FirstFailure}");
        Assert.Equal(ScheduledByKind(11, 0, 3), merged.FaultsScheduledByKind.OrderBy(k => k.Key, StringComparer.Ordinal));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CampaignUnitRunner.RunAsync(options, 2, 2, slot));
    }

    [Fact]
    public void CampaignMerge_RecordsInAnyOrder_SameFigures_ARunCountedTwiceRefused()
    {
        CampaignRunRecord Run(int i, int violations, string? error = null) => new()
        {
            Index = i,
            Seed = Campaign.RunSeed(3, i),
            Violations = violations,
            Failure = violations > 0 ? $"latched-torque-off: run {i}" : null,
            FaultsInjected = error is null ? 2 : 0,
            FaultsScheduled = ["busSilent", i % 2 == 0 ? "eStopPress" : "busSilent"],
            NotExercised = i == 4 ? ["f1-busSilent-reaction: stopped already"] : [],
            Error = error,
            LongestStallMs = i,
        };
        CampaignRunRecord[] runs = [Run(0, 0), Run(1, 1), Run(2, 0, "set-up failed"), Run(3, 2), Run(4, 0)];
        CampaignSettings settings = Campaign.SettingsOf(new CampaignOptions { RobotPath = RobotPath });
        CampaignResult a = CampaignMerge.Merge(runs, settings, 3, 2, 10);
        CampaignResult b = CampaignMerge.Merge(Enumerable.Reverse(runs), settings, 3, 2, 10);
        foreach (CampaignResult r in new[] { a, b })
        {
            Assert.Equal(5, r.Runs);
            Assert.Equal(3, r.Violations);
            Assert.Equal(2, r.RunsWithViolations);
            Assert.Equal(Campaign.RunSeed(3, 1), r.FirstFailingSeed);
            Assert.Equal([1, 3], r.FailingRuns.Select(f => f.Index));
            Assert.Equal(8, r.FaultsInjected);
            Assert.Equal(8, r.FaultsByKind.Values.Sum());
            Assert.Equal(10, r.FaultsScheduledByKind.Values.Sum());
            Assert.Equal(1, r.Errors);
            Assert.Equal(1, r.NotExercised);
            Assert.Equal(4, r.ProcessStalls.LongestMs);
        }

        var ex = Assert.Throws<ArgumentException>(() => CampaignMerge.Merge([.. runs, Run(3, 0)], settings, 3, 2, 10));
        Assert.Contains("Run 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Campaign_EStopInterlockRemoved_FindsTheViolationAndReplayOnTheRealControllerHolds()
    {
        // A campaign whose first run presses the e-stop and nothing else, against a controller that ignores the button.
        int campaignSeed = Enumerable.Range(1, 10_000).First(s =>
            CampaignScenario.Generate(Campaign.RunSeed(s, 0), RobotPath).Faults is [{ Kind: FaultKind.EStopPress }]);
        int runSeed = Campaign.RunSeed(campaignSeed, 0);
        string failures = RepositoryPaths.TempDir("campaign-failures");
        var log = new List<string>();
        CampaignResult r = await Campaign.RunAsync(new CampaignOptions
        {
            Runs = 1,
            Seed = campaignSeed,
            RobotPath = RobotPath,
            Parallelism = 1,
            Unsafe = new UnsafeTestOptions { DisabledInterlocks = Il.EStop },
            FailureReportDirectory = failures,
            Log = log.Add,
        });
        output.WriteLine($"campaign seed {campaignSeed}: {r.Violations} violations, first {r.FirstFailingSeed}: {r.FirstFailure}");
        Assert.True(r.Violations > 0, "a controller that ignores the e-stop must break the campaign's safety assertions");
        Assert.Equal(runSeed, r.FirstFailingSeed);
        Assert.Contains("torque-off", r.FirstFailure, StringComparison.Ordinal);

        // The failing run's own report, trace and events, as it ran on the campaign's rig, named in the log.
        string name = CampaignScenario.Generate(runSeed, RobotPath).Name;
        string report = Path.Combine(failures, name, "report.md");
        Assert.True(File.Exists(report), $"no {report}");
        Assert.Contains("FAIL", File.ReadAllText(report), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(failures, name, name, "trace.csv")));
        Assert.True(File.Exists(Path.Combine(failures, name, name, "events.csv")));
        Assert.Contains(log, l => l.Contains("the run as it ran: " + report, StringComparison.Ordinal));

        ScenarioResult replay = await Campaign.ReplayAsync(runSeed, RobotPath);
        foreach (AssertionResult a in replay.Assertions)
        {
            output.WriteLine($"replay {a.Id}: {(a.Passed ? "pass" : a.Exercised ? "FAIL" : "not exercised")} {a.Detail}");
        }

        Assert.Null(replay.Error);
        Assert.Equal(0, replay.Violations);
        Assert.Contains(replay.Assertions, a => a.Id.EndsWith("-torque-off", StringComparison.Ordinal) && a.Passed);
    }

    [Fact]
    public async Task Replay_OverlappingCorruptionStorms_MergeIntoOne_AndTheControllerFaults()
    {
        // Found as run seed 2100680973 of the 10,000-run campaign of 2026-11-26: a 134 ms storm, then a 282 ms one
        // starting before the first ended. The first one's end used to switch the corruption off, so the second lasted
        // 24 ms and the campaign demanded a ServoBus fault the controller had no cause for. The fault pool has grown since
        // (issue 19), so the seed now draws another mix: the first run seed with two overlapping storms stands in for it.
        // The storm that begins first must be long enough to demand the reaction (with the pool grown again, the first
        // such seed had a short storm first and the reaction demanded of the later one, which found the arm faulted).
        int seed = Enumerable.Range(0, 200_000).Select(i => Campaign.RunSeed(2026, i)).First(x =>
            CampaignScenario.Generate(x, RobotPath) is { Faults: [{ Kind: FaultKind.SerialCorruptStorm } a, { Kind: FaultKind.SerialCorruptStorm } b] } g
            && Math.Min(a.EndS, b.EndS) > Math.Max(a.AtS, b.AtS) && Math.Max(a.EndS, b.EndS) - Math.Min(a.AtS, b.AtS) > 0.15
            && g.Assertions.Any(r => r.Id == (a.AtS <= b.AtS ? a : b).Id + "-reaction"));
        Scenario s = CampaignScenario.Generate(seed, RobotPath);
        Assert.Equal([FaultKind.SerialCorruptStorm, FaultKind.SerialCorruptStorm], s.Faults.Select(f => f.Kind).Order());
        Assert.True(s.Faults.Min(f => f.EndS) > s.Faults.Max(f => f.AtS), "the two storms overlap");

        ScenarioResult replay = await Campaign.ReplayAsync(seed, RobotPath);
        foreach (AssertionResult a in replay.Assertions)
        {
            output.WriteLine($"replay {a.Id}: {(a.Passed ? "pass" : a.Exercised ? "FAIL" : "not exercised")} {a.Detail}");
        }

        Assert.Null(replay.Error);
        Assert.Equal(0, replay.Violations);
        // The storm that begins first is the one the controller faults on (the later one finds it latched already).
        string first = s.Faults.OrderBy(f => f.AtS).First().Id;
        Assert.Contains(replay.Assertions, a => a.Id == first + "-reaction" && a.Passed && a.Exercised);
    }
}
