using System.CommandLine;
using System.Globalization;
using MeTAI.Hil.Bench;
using MeTAI.Robotics.Kinematics;

namespace MeTAI.Cli.Commands;

/// <summary>
/// <c>metai bench control --seconds N [--json]</c>: the controller against its twins (pty servo chain, haptic master over
/// the embedded broker).
/// </summary>
internal static class BenchControlCommand
{
    /// <summary>The <c>control</c> subcommand.</summary>
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds to measure after a 2 s warm-up", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var robot = new Option<string?>("--robot") { Description = "Robot file (default configs/robots/metai-arm6.json)" };
        var rt = new Option<bool>("--rt") { Description = "Try SCHED_FIFO for the control thread (needs CAP_SYS_NICE)" };
        var command = new Command("control", "Run the 1 kHz controller against simulated devices on real transports and report loop timing and latency.") { seconds, json, robot, rt };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                double s = parse.GetValue(seconds);
                if (!(s > 0 && s <= 3600))
                {
                    throw new ArgumentException("--seconds must be in (0, 3600]");
                }

                RobotModel model = RobotConfigJson.Load(parse.GetValue(robot) ?? ControlCommand.DefaultRobotPath());
                ControlBenchResult r = ControlBench.RunAsync(model, s, parse.GetValue(rt), m => stderr.WriteLine("bench: " + m), ControllerProcess.Gen0Bytes()).GetAwaiter().GetResult()
                    with { GcGen0BudgetBytes = ControllerProcess.Gen0Bytes() };
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(CliJson.Serialize(r));
                }
                else
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"rate {r.RateHz:F1} Hz over {r.Seconds:F1} s; period jitter p50 {r.PeriodJitterUs.P50} µs, p99 {r.PeriodJitterUs.P99} µs, p99.9 {r.PeriodJitterUs.P999} µs, max {r.PeriodJitterUs.Max:F0} µs; overruns {r.Overruns}; GC {r.GcCount} collections, {r.GcPauseMs:F2} ms in all, longest {r.GcPauseMaxMs:F3} ms, {r.GcSlots} in the loop's slot (max {r.GcSlotUs.Max:F0} µs); haptic→servo p50 {r.HapticToServoLatencyMs.P50:F2} ms, p99 {r.HapticToServoLatencyMs.P99:F2} ms, max {r.HapticToServoLatencyMs.Max:F2} ms"));
                }

                return 0;
            });
        });
        return command;
    }
}
