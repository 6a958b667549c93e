using System.CommandLine;
using System.Globalization;
using MeTAI.Benchmarks.Control;
using MeTAI.Cli.Commands;
using MeTAI.Cli.Commands.Controller;
using MeTAI.Robotics.Kinematics;

namespace MeTAI.Benchmarks.Commands;

/// <summary>
/// <c>metai bench teleop [--samples N] [--robot FILE] [--json]</c>: the browser console's protocol through the service's
/// MQTT-over-WebSocket relay and the controller's broker to the servo goals (<see cref="TeleopBench"/>):
/// <c>latencyMs</c> with <c>p50</c>, <c>p99</c>, <c>max</c>.
/// </summary>
internal static class BenchTeleopCommand
{
    /// <summary>The <c>teleop</c> subcommand.</summary>
    public static Command Create()
    {
        var samples = new Option<int>("--samples") { Description = "Master steps to measure (each waits for still goals first)", DefaultValueFactory = _ => 100 };
        var robot = new Option<string?>("--robot") { Description = "Robot file (default configs/robots/metai-arm6.json)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("teleop", "Console-protocol pose (MQTT over WebSocket through the service's relay) → servo goal latency.")
        {
            samples, robot, json,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                int n = parse.GetValue(samples);
                if (n is < 1 or > 10_000)
                {
                    throw new ArgumentException($"--samples {n}: give 1 to 10000.");
                }

                RobotModel model = RobotConfigJson.Load(parse.GetValue(robot) ?? ControlCommand.DefaultRobotPath());
                TeleopBenchResult r = TeleopBench.RunAsync(model, n, m => stderr.WriteLine("bench: " + m)).GetAwaiter().GetResult();
                stdout.WriteLine(parse.GetValue(json)
                    ? CliJson.Serialize(r)
                    : string.Create(CultureInfo.InvariantCulture,
                        $"console pose → servo goal, {r.Samples} steps: p50 {r.LatencyMs.P50:F2} ms, p99 {r.LatencyMs.P99:F2} ms, max {r.LatencyMs.Max:F2} ms ({r.PosesSent} poses, {r.HeartbeatsSent} heartbeats, {r.Interruptions} interruptions; {r.Transport})"));
                return r.Samples > 0 ? 0 : 1;
            });
        });
        return command;
    }
}
