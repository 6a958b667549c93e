using System.CommandLine;
using System.Globalization;
using MeTAI.Benchmarks.Control;
using MeTAI.Cli.Commands;
using MeTAI.Cli.Commands.Controller;
using MeTAI.Robotics.Kinematics;

namespace MeTAI.Benchmarks.Commands;

/// <summary>
/// <c>metai bench servo-bus --seconds N [--baud B] [--return-delay-us U] [--read-velocity] [--rt] [--own-descriptor] [--json]</c>: Sync Write + Sync Read
/// cycles of the robot's servos through the production serial bus against the pty twin, and where each round trip's
/// time goes.
/// </summary>
internal static class BenchServoBusCommand
{
    /// <summary>The <c>servo-bus</c> subcommand.</summary>
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds to measure after a 1 s warm-up", DefaultValueFactory = _ => 10 };
        var baud = new Option<int?>("--baud") { Description = "Emulate the wire at this baud rate in the twin (bytes take 10 bits each); default: no wire timing" };
        var returnDelay = new Option<double>("--return-delay-us") { Description = "Return Delay Time of the servo twins (µs, 0-508; with --baud)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var robot = new Option<string?>("--robot") { Description = "Robot file (default configs/robots/metai-arm6.json)" };
        var rt = new Option<bool>("--rt") { Description = "SCHED_FIFO for the IO thread and the twin (needs CAP_SYS_NICE)" };
        var velocity = new Option<bool>("--read-velocity") { Description = "Sync Read Present Velocity and Present Position (8 bytes) instead of Present Position alone (what the controller reads)" };
        var own = new Option<bool>("--own-descriptor") { Description = "The bus on a descriptor of its own (Linux) instead of System.IO.Ports" };
        var command = new Command("servo-bus", "Sync Write + Sync Read cycles per second on the pty servo twin, and where a round trip's time goes.")
        {
            seconds, baud, returnDelay, json, robot, rt, own, velocity,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            return CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
            {
                double s = parse.GetValue(seconds);
                if (!(s > 0 && s <= 3600))
                {
                    throw new ArgumentException("--seconds must be in (0, 3600]");
                }

                int? b = parse.GetValue(baud);
                double delay = parse.GetValue(returnDelay);
                if (b is < 9600 or > 10_500_000)
                {
                    throw new ArgumentException($"--baud {b}: must be 9600-10500000");
                }

                if (!(delay >= 0 && delay <= 508) || (delay > 0 && b is null))
                {
                    throw new ArgumentException($"--return-delay-us {delay.ToString(CultureInfo.InvariantCulture)}: must be 0-508, and needs --baud");
                }

                RobotModel model = RobotConfigJson.Load(parse.GetValue(robot) ?? ControlCommand.DefaultRobotPath());
                ServoBusBenchResult r = ServoBusBench.Run(model, s, new ServoBusBenchOptions
                {
                    BaudRate = b,
                    ReturnDelayUs = delay,
                    Realtime = parse.GetValue(rt),
                    OwnDescriptor = parse.GetValue(own),
                    ReadVelocity = parse.GetValue(velocity),
                });
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(CliJson.Serialize(r));
                }
                else
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{r.CyclesPerSecond:F0} sync-write + sync-read cycles/s ({r.Servos} servos, {r.ReadBytesPerServo} bytes read each, {(r.OwnDescriptor ? "own descriptor" : "System.IO.Ports")}, wire {(r.BaudRate is int w ? w + " baud" : "untimed")}); incomplete reads {r.IncompleteReads}, reply timeouts {r.Timeouts}, write timeouts {r.WriteTimeouts}, collisions {r.Collisions}, gaps > 40 ms {r.GapsOver40Ms}"));
                    stdout.WriteLine(r.WireBoundUs is double bound
                        ? string.Create(CultureInfo.InvariantCulture, $"wire bound: {r.WireBytesPerCycle} bytes × 10 bits / {r.BaudRate} baud + {r.Servos} × {r.ReturnDelayUs:F0} µs return delay = {bound:F0} µs per cycle ({1e6 / bound:F0} cycles/s)")
                        : $"wire bound: none without --baud ({r.WireBytesPerCycle} bytes per cycle)");
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"p50 / p99 / p99.9 / max µs — cycle {Fmt(r.CycleUs)}; gap between complete readings {Fmt(r.CompleteReadingGapUs)}; write call {Fmt(r.WriteCallUs)}; to twin {Fmt(r.ToTwinUs)}; in twin {Fmt(r.InTwinUs)}; back {Fmt(r.BackUs)}"));
                }

                return 0;
            });
        });
        return command;
    }

    private static string Fmt(Percentiles p) => string.Create(CultureInfo.InvariantCulture, $"{p.P50:F0} / {p.P99:F0} / {p.P999:F0} / {p.Max:F0}");
}
