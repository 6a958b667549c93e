using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MeTAI.Benchmarks.Control;
using MeTAI.Cli.Commands;
using MeTAI.Cli.Commands.Controller;
using MeTAI.Robotics.Kinematics;

namespace MeTAI.Benchmarks.Commands;

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
        var split = new Option<bool>("--split")
        {
            Description = "Run the broker, servo chain and haptic master in a child process, so this process holds the controller alone (as on a real cell)",
        };
        var devicesNice = new Option<int>("--devices-nice")
        {
            Description = "With --split: the devices process's nice value (0-19), so the controller's threads win the cores as they would on a cell where the devices are other machines",
            DefaultValueFactory = _ => 0,
        };
        var gcTrace = new Option<bool>("--gc-trace")
        {
            Description = "Listen to the runtime's GC events and add each collection (generation, reason, suspension, pause) and the largest allocators to the result (a diagnostic: it perturbs the figures)",
        };
        var noGc = ControlCommand.NoGcRegionOption();
        var command = new Command("control", "Run the 1 kHz controller against simulated devices on real transports and report loop timing and latency.")
        {
            seconds, json, robot, rt, split, devicesNice, gcTrace, noGc,
        };
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

                int nice = parse.GetValue(devicesNice);
                if (nice is < 0 or > 19)
                {
                    throw new ArgumentException("--devices-nice must be 0-19");
                }

                if (nice != 0 && !parse.GetValue(split))
                {
                    throw new ArgumentException("--devices-nice needs --split (without it the devices run in this process)");
                }

                long? noGcBytes = ControlCommand.NoGcRegionBytes(parse.GetValue(noGc));
                string robotPath = parse.GetValue(robot) ?? ControlCommand.DefaultRobotPath();
                RobotModel model = RobotConfigJson.Load(robotPath);
                using DevicesProcess? devices = parse.GetValue(split) ? DevicesProcess.Start(robotPath, nice) : null;
                var options = new ControlBenchOptions
                {
                    Realtime = parse.GetValue(rt),
                    GcSlotBudgetBytes = noGcBytes is null ? ControllerProcess.Gen0Bytes() : null, // a slot's collection would end the region
                    NoGcRegionBytes = noGcBytes,
                    Devices = devices?.Info,
                    GcTrace = parse.GetValue(gcTrace),
                };
                ControlBenchResult r = ControlBench.RunAsync(model, s, options, m => stderr.WriteLine("bench: " + m)).GetAwaiter().GetResult() with
                {
                    GcGen0BudgetBytes = ControllerProcess.Gen0Bytes(),
                    DevicesNice = devices is null ? null : nice,
                };
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(CliJson.Serialize(r));
                }
                else
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"rate {r.RateHz:F1} Hz over {r.Seconds:F1} s; period jitter p50 {r.PeriodJitterUs.P50} µs, p99 {r.PeriodJitterUs.P99} µs, p99.9 {r.PeriodJitterUs.P999} µs, max {r.PeriodJitterUs.Max:F0} µs; overruns {r.Overruns}; GC {r.GcCount} collections, {r.GcPauseMs:F2} ms in all, longest {r.GcPauseMaxMs:F3} ms, {r.GcSlots} in the loop's slot (max {r.GcSlotUs.Max:F0} µs); haptic→servo p50 {r.HapticToServoLatencyMs.P50:F2} ms, p99 {r.HapticToServoLatencyMs.P99:F2} ms, max {r.HapticToServoLatencyMs.Max:F2} ms"));
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"servo goal rate {(r.ServoGoalRateHz is double g ? g.ToString("F1", CultureInfo.InvariantCulture) + " Sync Writes/s reaching the servo twin" : "n/a (the twin runs in the devices process)")}{(r.ServoGoalRateFollowingHz is double f && r.Interruptions > 0 ? ", " + f.ToString("F1", CultureInfo.InvariantCulture) + "/s while following" : "")}; goal writes sent {r.GoalWritesPerSecond:F1}/s; serial transactions {r.SerialTransactionsPerSecond:F1}/s, timeouts {r.SerialTimeouts}"));
                }

                return 0;
            });
        });
        return command;
    }

    /// <summary>
    /// <c>metai bench control-devices --robot FILE</c> (hidden): the devices of <c>bench control --split</c>. Announces
    /// one JSON line on stdout and runs until stdin closes (the parent ended).
    /// </summary>
    public static Command CreateDevices()
    {
        var robot = new Option<string>("--robot") { Description = "Robot file", Required = true };
        var command = new Command("control-devices", "The devices process of bench control --split (broker, servo chain, haptic master).") { robot };
        command.Hidden = true;
        command.SetAction(parse => CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
        {
            RobotModel model = RobotConfigJson.Load(parse.GetValue(robot)!);
            using var stop = new CancellationTokenSource();
            var watch = new Thread(() =>
            {
                try
                {
                    Console.In.ReadToEnd();
                }
                finally
                {
                    stop.Cancel();
                }
            }) { IsBackground = true, Name = "stdin-watch" };
            watch.Start();
            ControlBenchDevices.RunAsync(model, parse.InvocationConfiguration.Output, stop.Token).GetAwaiter().GetResult();
            return 0;
        }));
        return command;
    }

    /// <summary>The child process of <c>--split</c>: this CLI again, running <c>bench control-devices</c>.</summary>
    private sealed class DevicesProcess : IDisposable
    {
        private readonly Process _process;

        private DevicesProcess(Process process, ControlBenchDevicesInfo info)
        {
            _process = process;
            Info = info;
        }

        public ControlBenchDevicesInfo Info { get; }

        public static DevicesProcess Start(string robotPath, int nice)
        {
            string host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell this process's executable to start the devices process.");

            // Linux keeps nice per thread and a thread inherits its creator's: only starting the process under nice(1)
            // lowers every thread of it, the runtime's own included.
            var psi = new ProcessStartInfo(nice == 0 ? host : "nice")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            if (nice != 0)
            {
                psi.ArgumentList.Add("-n");
                psi.ArgumentList.Add(nice.ToString(CultureInfo.InvariantCulture));
                psi.ArgumentList.Add(host);
            }

            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                psi.ArgumentList.Add(typeof(BenchControlCommand).Assembly.Location);
            }

            foreach (string a in new[] { "bench", "control-devices", "--robot", Path.GetFullPath(robotPath) })
            {
                psi.ArgumentList.Add(a);
            }

            Process p = Process.Start(psi) ?? throw new InvalidOperationException("The devices process did not start.");
            try
            {
                Task<string?> line = p.StandardOutput.ReadLineAsync();
                if (!line.Wait(TimeSpan.FromSeconds(60)))
                {
                    throw new TimeoutException("The devices process announced nothing within 60 s.");
                }

                return new DevicesProcess(p, ControlBenchDevices.Parse(line.Result));
            }
            catch
            {
                Stop(p);
                throw;
            }
        }

        public void Dispose() => Stop(_process);

        private static void Stop(Process p)
        {
            try
            {
                // Closing its stdin ends it in order (master, servo chain, broker); a stuck one is killed.
                p.StandardInput.Close();
                if (!p.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    p.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            finally
            {
                p.Dispose();
            }
        }
    }
}
