using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using MeTAI.Core.IO;
using MeTAI.Core.Json;
using MeTAI.Hil.Runner;
using MeTAI.Robotics.Kinematics;
using static System.FormattableString;

namespace MeTAI.Cli.Commands.Hil;

/// <summary>
/// <c>metai hil kill [--runs N] [--robot FILE] [--json]</c>: the process kill test (issue 19). Each run starts this
/// program's <c>control</c> verb as a child process at the shipped defaults against a servo chain twin with the watchdog
/// power relay board, drives it with the haptic master twin, kills it with SIGKILL mid-motion and prints what the relay
/// twin measured (last feed → power off, kill → power off) and whether anything moved after; exit 1 when any run breaks
/// a claim (<see cref="ControllerKillResult.Problems"/>).
/// </summary>
internal static class HilKillCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Kills, each of a fresh controller process (1–100)", DefaultValueFactory = _ => 1 };
        var robot = new Option<FileInfo?>("--robot") { Description = "Robot file (default configs/robots/metai-arm6.json)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("kill", "Process kill test: SIGKILL the controller process mid-motion; the watchdog power relay must drop servo power within T_relay and nothing may move after.")
        {
            runs, robot, json,
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

                int n = parse.GetValue(runs);
                if (n is < 1 or > 100)
                {
                    throw new ArgumentException($"--runs {n}: give 1 to 100.");
                }

                var options = new ControllerKillOptions { Robot = RobotConfigJson.Load(robotPath), RobotPath = robotPath, StartController = StartSelf };
                var results = new List<ControllerKillResult>();
                var notStarted = new List<string>();
                TextWriter progress = parse.GetValue(json) ? stderr : stdout;
                for (int i = 0; i < n; i++)
                {
                    try
                    {
                        ControllerKillResult r = ControllerKillRun.RunAsync(options).GetAwaiter().GetResult();
                        results.Add(r);
                        progress.WriteLine(Line(i + 1, r));
                    }
                    catch (TimeoutException e)
                    {
                        // Load on a shared machine kept tripping an interlock before the arm moved: no kill, nothing judged.
                        notStarted.Add(e.Message);
                        progress.WriteLine($"kill {i + 1}: could not start: {e.Message}");
                    }
                }

                if (parse.GetValue(json))
                {
                    stdout.WriteLine(Json(results, notStarted).ToJsonString(JsonDefaults.Indented));
                }
                else
                {
                    stdout.WriteLine(results.Count == 0 ? $"no kill: {notStarted.Count} runs could not bring the arm to motion" : Summary(results, notStarted.Count));
                }

                return results.Count == 0 || results.Any(r => r.Problems().Count > 0) ? 1 : 0;
            });
        });
        return command;
    }

    // This program again, as its own process: `dotnet metai.dll control …` under the dotnet host, else the app host.
    private static ProcessStartInfo StartSelf(IReadOnlyList<string> args)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program this is (no process path)");
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("no entry assembly"));
        }

        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    private static string Line(int run, ControllerKillResult r)
    {
        IReadOnlyList<string> problems = r.Problems();
        return Invariant($"kill {run}: pid {r.ControllerPid} exit {r.ExitCode}, {r.JointSpeedAtKillRadS:F3} rad/s at the kill; relay {r.TripCause}: last feed → power off {r.LastFeedToPowerOffMs:F1} ms ")
            + Invariant($"(T_relay {r.StatedRelayOffMs:F0} ms), kill → power off {r.KillToPowerOffMs:F1} ms; after: {r.FeedsAfterPowerOff} feeds, {r.GoalWritesAfterPowerOff} goals, ")
            + Invariant($"{r.TorqueOnAfter} torque on, {r.MaxMoveAfterPowerOffCounts:F0} counts moved; set-up attempts {r.SetupAttempts} — ")
            + (problems.Count == 0 ? "holds" : "BROKEN: " + string.Join("; ", problems));
    }

    private static string Summary(List<ControllerKillResult> results, int notStarted)
    {
        int broken = results.Count(r => r.Problems().Count > 0);
        return Invariant(
            $"{results.Count} kills, {broken} broken, {notStarted} could not start; last feed → power off max {results.Max(r => r.LastFeedToPowerOffMs):F1} ms (T_relay {results[0].StatedRelayOffMs:F0} ms); ")
            + Invariant($"kill → power off {results.Min(r => r.KillToPowerOffMs):F1}–{results.Max(r => r.KillToPowerOffMs):F1} ms; max motion after power off {results.Max(r => r.MaxMoveAfterPowerOffCounts):F0} counts");
    }

    private static JsonObject Json(List<ControllerKillResult> results, List<string> notStarted) => new()
    {
        ["runs"] = results.Count + notStarted.Count,
        ["kills"] = results.Count,
        ["broken"] = results.Count(r => r.Problems().Count > 0),
        ["couldNotStart"] = new JsonArray([.. notStarted.Select(m => (JsonNode?)JsonValue.Create(m))]),
        ["statedRelayOffMs"] = results.Count == 0 ? null : results[0].StatedRelayOffMs,
        ["relayWatchdogMs"] = results.Count == 0 ? null : results[0].RelayWatchdogMs,
        ["maxLastFeedToPowerOffMs"] = results.Count == 0 ? null : Math.Round(results.Max(r => r.LastFeedToPowerOffMs), 2),
        ["minKillToPowerOffMs"] = results.Count == 0 ? null : Math.Round(results.Min(r => r.KillToPowerOffMs), 2),
        ["maxKillToPowerOffMs"] = results.Count == 0 ? null : Math.Round(results.Max(r => r.KillToPowerOffMs), 2),
        ["results"] = new JsonArray([.. results.Select(r => (JsonNode?)new JsonObject
        {
            ["pid"] = r.ControllerPid,
            ["exitCode"] = r.ExitCode,
            ["setupAttempts"] = r.SetupAttempts,
            ["setupFailures"] = new JsonArray([.. r.SetupFailures.Select(f => (JsonNode?)JsonValue.Create(f))]),
            ["jointSpeedAtKillRadS"] = Math.Round(r.JointSpeedAtKillRadS, 4),
            ["goalWritesInLast100MsBeforeKill"] = r.GoalWritesBeforeKill,
            ["tripCause"] = r.TripCause.ToString(),
            ["lastFeedToPowerOffMs"] = Math.Round(r.LastFeedToPowerOffMs, 2),
            ["killToPowerOffMs"] = Math.Round(r.KillToPowerOffMs, 2),
            ["killToLastFeedMs"] = Math.Round(r.KillToLastFeedMs, 2),
            ["relayNoticedLateMs"] = Math.Round(r.NoticedLateMs, 2),
            ["feedsAfterPowerOff"] = r.FeedsAfterPowerOff,
            ["goalWritesAfterPowerOff"] = r.GoalWritesAfterPowerOff,
            ["torqueOnAfter"] = r.TorqueOnAfter,
            ["maxMoveAfterPowerOffCounts"] = r.MaxMoveAfterPowerOffCounts,
            ["problems"] = new JsonArray([.. r.Problems().Select(p => (JsonNode?)JsonValue.Create(p))]),
        })]),
    };
}
