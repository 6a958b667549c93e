using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MeTAI.Core.IO;
using MeTAI.Core.Json;
using MeTAI.Hil.Campaigns;
using MeTAI.Hil.Runner;

namespace MeTAI.Cli.Commands.Hil;

/// <summary>
/// <c>metai hil campaign --runs N --seed S [--workers W] [--json]</c>: randomized fault mixes and timings, each run
/// against the real controller over real transports, judged by the safety assertions; prints runs, violations, faults
/// injected, runs per minute and the first failing seed; exit 1 on any violation. <c>--replay SEED --report DIR</c> runs
/// one run seed again with a full report.
/// </summary>
internal static class HilCampaignCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Randomized runs", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Campaign seed (run i uses a seed derived from it and i)", DefaultValueFactory = _ => 1 };
        var workers = new Option<int>("--workers") { Description = "Runs at once, each worker on a rig of its own (1–16)", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (progress goes to stderr)" };
        var rt = new Option<bool>("--rt") { Description = "Run the rigs as deployed: SCHED_FIFO controller loop, servo IO and hardware twins, the process at nice -10 (needs CAP_SYS_NICE)" };
        var robot = new Option<FileInfo?>("--robot") { Description = "Robot file (default configs/robots/metai-arm6.json)" };
        var replay = new Option<int?>("--replay") { Description = "Run one run seed (a campaign's firstFailingSeed) again, with a full report in --report" };
        var report = new Option<DirectoryInfo?>("--report") { Description = "Report folder of --replay (default out/hil/replay-SEED)" };
        var failures = new Option<DirectoryInfo?>("--failures") { Description = "Where each run that breaks a safety assertion writes its report, trace and plots as it ran (default out/hil/campaign-failures)" };
        var command = new Command("campaign", "Fault campaign: random fault mixes and timings against the real controller; counts safety violations.")
        {
            runs, seed, workers, json, robot, replay, report, rt, failures,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                string robotPath = parse.GetValue(robot)?.FullName ?? ConfigFiles.PathOf("robots", "metai-arm6.json");
                if (!File.Exists(robotPath))
                {
                    throw new FileNotFoundException($"--robot: {robotPath} does not exist.", robotPath);
                }

                bool asJson = parse.GetValue(json);
                TextWriter progressOut = asJson ? stderr : stdout;
                var progressLock = new object();
                void Progress(string line)
                {
                    lock (progressLock)
                    {
                        progressOut.WriteLine(line);
                        progressOut.Flush();
                    }
                }

                if (parse.GetValue(replay) is int runSeed)
                {
                    return Replay(runSeed, robotPath, parse.GetValue(report)?.FullName, parse.GetValue(rt), stdout, Progress);
                }

                if (parse.GetValue(report) is not null)
                {
                    throw new ArgumentException("--report is for --replay SEED (a campaign writes no per-run reports).");
                }

                int n = parse.GetValue(runs), w = parse.GetValue(workers);
                if (n < 1)
                {
                    throw new ArgumentException($"--runs {n}: give at least 1.");
                }

                if (w is < 1 or > 16)
                {
                    throw new ArgumentException($"--workers {w}: give 1 to 16.");
                }

                CampaignResult r = Campaign.RunAsync(new CampaignOptions
                {
                    Runs = n,
                    Seed = parse.GetValue(seed),
                    Parallelism = w,
                    RobotPath = robotPath,
                    Realtime = parse.GetValue(rt),
                    FailureReportDirectory = parse.GetValue(failures)?.FullName ?? Path.GetFullPath(Path.Combine("out", "hil", "campaign-failures")),
                    Log = Progress,
                }).GetAwaiter().GetResult();
                if (asJson)
                {
                    stdout.WriteLine(Json(r).ToJsonString(JsonDefaults.Indented));
                }
                else
                {
                    Summary(r, stdout);
                }

                return r.Violations > 0 || r.Errors == r.Runs ? 1 : 0;
            });
        });
        return command;
    }

    /// <summary>The JSON contract (issue 7): runs, violations, faultsInjected, plus the figures a reviewer needs.</summary>
    internal static JsonObject Json(CampaignResult r) => new()
    {
        ["runs"] = r.Runs,
        ["violations"] = r.Violations,
        ["faultsInjected"] = r.FaultsInjected,
        ["runsPerMinute"] = Math.Round(r.RunsPerMinute, 1),
        ["seconds"] = Math.Round(r.ElapsedS, 1),
        ["firstFailingSeed"] = r.FirstFailingSeed,
        ["firstFailure"] = r.FirstFailure,
        ["replay"] = r.FirstFailingSeed is int s ? ReplayCommand(s, r.Settings.Realtime) : null,
        ["failingRuns"] = new JsonArray([.. r.FailingRuns.Select(f => (JsonNode?)new JsonObject
        {
            ["index"] = f.Index,
            ["seed"] = f.Seed,
            ["failure"] = f.Failure,
            ["replay"] = ReplayCommand(f.Seed, r.Settings.Realtime),
        })]),
        ["settings"] = new JsonObject
        {
            ["heartbeatWatchdogMs"] = r.Settings.HeartbeatWatchdogMs,
            ["poseWatchdogMs"] = r.Settings.PoseWatchdogMs,
            ["eStopWatchdogMs"] = r.Settings.EStopWatchdogMs,
            ["relayOffMs"] = r.Settings.RelayOffMs,
            ["servoTimeoutMs"] = r.Settings.ServoTimeoutMs,
            ["trackingLagMs"] = r.Settings.TrackingLagMs,
            ["rateHz"] = r.Settings.RateHz,
            ["spinMarginUs"] = r.Settings.SpinMarginUs,
            ["replyTimeoutMs"] = r.Settings.ReplyTimeoutMs,
            ["retries"] = r.Settings.Retries,
            ["busWatchdogMs"] = r.Settings.BusWatchdogMs,
            ["realtime"] = r.Settings.Realtime,
            ["shippedDefaults"] = r.Settings.AreShippedDefaults,
        },
        ["seed"] = r.Seed,
        ["workers"] = r.Parallelism,
        ["runsWithViolations"] = r.RunsWithViolations,
        ["reactionsChecked"] = r.ReactionsChecked,
        ["reactionsNotExercised"] = r.NotExercised,
        ["stopsBeforeFaults"] = new JsonObject(r.StopsBeforeFaults.OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => KeyValuePair.Create(k.Key, (JsonNode?)JsonValue.Create(k.Value)))),
        ["notExercisedSamples"] = new JsonArray([.. r.NotExercisedSamples.Select(e => (JsonNode?)JsonValue.Create(e))]),
        ["stallRelaxed"] = r.StallRelaxed,
        ["stallRelaxedSamples"] = new JsonArray([.. r.StallRelaxedSamples.Select(e => (JsonNode?)JsonValue.Create(e))]),
        ["longestProcessStallMs"] = Math.Round(r.ProcessStalls.LongestMs, 2),
        ["gcPauseInStallsMs"] = Math.Round(r.ProcessStalls.GcMs, 2),
        ["errors"] = r.Errors,
        ["errorSamples"] = new JsonArray([.. r.ErrorSamples.Select(e => (JsonNode?)JsonValue.Create(e))]),
        ["faultsByKind"] = new JsonObject(r.FaultsByKind.OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => KeyValuePair.Create(k.Key, (JsonNode?)JsonValue.Create(k.Value)))),
        ["faultsScheduledByKind"] = new JsonObject(r.FaultsScheduledByKind.OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => KeyValuePair.Create(k.Key, (JsonNode?)JsonValue.Create(k.Value)))),
    };

    // The replay runs as the campaign ran: real-time when it was (--rt), at the campaign's spin margin.
    private static string ReplayCommand(int runSeed, bool realtime) =>
        string.Create(CultureInfo.InvariantCulture, $"./metai hil campaign --replay {runSeed}{(realtime ? " --rt" : "")} --report out/hil/replay-{runSeed}");

    private static void Summary(CampaignResult r, TextWriter stdout)
    {
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(inv,
            $"campaign seed {r.Seed}: {r.Runs} runs in {r.ElapsedS:F1} s ({r.RunsPerMinute:F1} runs/min, {r.Parallelism} workers), {r.FaultsInjected} faults injected"));
        stdout.WriteLine("controller settings: " + r.Settings + (r.Settings.AreShippedDefaults ? " (the shipped defaults)" : " (NOT the shipped defaults)"));
        stdout.WriteLine("faults by kind: " + string.Join(", ", r.FaultsByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => string.Create(inv, $"{k.Key} {k.Value}"))));
        stdout.WriteLine(string.Create(inv,
            $"reactions checked {r.ReactionsChecked}, not exercised {r.NotExercised} (the controller had already stopped for another reason); runs that could not complete {r.Errors}"));
        foreach (string e in r.ErrorSamples)
        {
            stdout.WriteLine("  error: " + e);
        }

        stdout.WriteLine(string.Create(inv,
            $"test-machine stalls (a witness per CPU above every rig thread): longest {r.ProcessStalls.LongestMs:F1} ms, {r.ProcessStalls.GcMs:F1} ms of garbage collection among them; {r.StallRelaxed} timing bound(s) relaxed by the stall measured in their window"));
        foreach (string e in r.StallRelaxedSamples)
        {
            stdout.WriteLine("  relaxed: " + e);
        }

        if (r.FirstFailingSeed is int s)
        {
            stdout.WriteLine(string.Create(inv, $"VIOLATIONS: {r.Violations} safety assertion(s) broken in {r.RunsWithViolations} run(s)"));
            stdout.WriteLine(string.Create(inv, $"first failing seed {s}: {r.FirstFailure}"));
            stdout.WriteLine("replay: " + ReplayCommand(s, r.Settings.Realtime));
            foreach (CampaignFailure f in r.FailingRuns.Skip(1))
            {
                stdout.WriteLine(string.Create(inv, $"also failing: run {f.Index}, seed {f.Seed}: {f.Failure}"));
            }
        }
        else
        {
            stdout.WriteLine("violations: 0");
        }
    }

    private static int Replay(int runSeed, string robotPath, string? reportDirectory, bool realtime, TextWriter stdout, Action<string> progress)
    {
        if (runSeed < 0)
        {
            throw new ArgumentException($"--replay {runSeed}: run seeds are non-negative.");
        }

        string dir = reportDirectory ?? Path.GetFullPath(Path.Combine("out", "hil", string.Create(CultureInfo.InvariantCulture, $"replay-{runSeed}")));
        ScenarioBatchResult r = HilScenarios.RunAsync([CampaignScenario.Generate(runSeed, robotPath)], new HilRunSettings
        {
            ReportDirectory = dir,
            Progress = progress,
            // As the campaign ran it: the same spin margin, and real-time when asked (before 2026-12-08 a replay ignored --rt).
            Realtime = realtime,
            SpinMarginUs = Campaign.SpinMarginUs,
            Header = string.Create(CultureInfo.InvariantCulture, $"Replay of campaign run seed {runSeed}: `metai hil campaign --replay {runSeed}{(realtime ? " --rt" : "")}`"),
        }).GetAwaiter().GetResult();
        ScenarioOutcome o = r.Outcomes[0];
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay {o.Name}: {(o.Passed ? "passed" : "FAILED")}, {o.AssertionsPassed}/{o.AssertionsTotal} assertions, {o.Violations} safety violation(s); report {r.ReportPath}, JUnit {r.JUnitPath}"));
        return o.Violations > 0 || o.Error is not null ? 1 : 0;
    }
}
