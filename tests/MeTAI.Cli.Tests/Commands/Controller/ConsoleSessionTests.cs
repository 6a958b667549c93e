using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MeTAI.Cli.Tests.Commands.DicomFiles.Network;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Transport;
using MeTAI.Service.Hosting;
using MeTAI.Service.Users;
using MeTAI.Simulation;
using MeTAI.Simulation.Devices;
using MeTAI.Simulation.Serial;
using MeTAI.TestUtilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace MeTAI.Cli.Tests.Commands.Controller;

/// <summary>
/// Issue 20's console acceptance: a scripted console session in headless Chromium — synthetic pointer drags on the
/// console's pad, the space bar as deadman — drives the simulated arm through the real <c>metai control</c> process
/// (simulated servos on a pty, its embedded broker checking the console's short-lived token) along the rehearsed
/// corridor to its target, with the restoring force shown on the page (and played on a synthetic gamepad's rumble
/// motor) when the drag pushes against the wall.
/// The controller's 30 ms watchdogs make this test need a quiet machine (a page that stalls holds the arm).
/// </summary>
public sealed partial class ConsoleSessionTests(ITestOutputHelper output)
{
    private const string Master = "console1";
    private const double MetresPerPixel = 0.0005; // the console's default motion scale
    private const double TranslationScale = 0.2;  // TeleopOptions' default, what metai control runs with

    // Does not pass on the 2-core VM yet (2026-12-07, alone, nothing else running, 3 tries): headless Chromium rendering
    // WebGL on SwiftShader, the page's 200 Hz poses and the controller's process at its shipped 30 ms / 40 ms watchdogs
    // starve each other — Fault: ServoBus during Home, or every MQTT input silent at once. Open in issue 20. Tried again
    // with the controller at --rt and Chromium at nice 19 (14:30 UTC): EStop after Home with the haptic heartbeat, the
    // master pose and the e-stop device all silent at once (the controller process's MQTT side starved, not the loop).
    // 2026-12-07 23:31–23:34 UTC, with a witness per CPU: the machine barely stalled (longest 7.8–10.5 ms, 0–8 ms of
    // collection), yet the page's own 200 Hz heartbeat lapsed past 30 ms 15–138 times in ~21 s (Chromium at nice 19; pinned
    // to one CPU at nice 0; pinned at nice 10), so the controller held (Paused: HapticHeartbeat) during Home: the page's
    // timers, not the machine, miss the 30 ms watchdog here. METAI_CONSOLE_CHROMIUM_WRAP replaces "nice -n 19" in the
    // browser's wrapper for such experiments (e.g. "taskset -c 1").
    // 2026-12-08 03:23 UTC, with the page's own timing: of the controller's 3 heartbeat lapses after connecting, 2 match
    // gaps in the page's own beats (44.5 and 51.3 ms, in the first 2 s after connecting), 1 arose downstream (the page
    // on time); the session then ended in EStop with the e-stop device twin (this process) silent for 250 ms. A per-thread
    // sample showed the nice-19 wrapper does not hold: Chromium (root) runs its renderer at nice 0 and its compositor
    // threads (VizCompositorThread, Compositor) at nice -8, about 45 % of a CPU together beside the controller's 33 %.
    // 2026-12-08 03:45–03:50 UTC, after the page's render throttle, Chromium at SCHED_IDLE and 32 pool threads: 3 of 6
    // runs passed (tool 0.45 mm from the target, inside the corridor, page beats ≤ 26 ms apart); the others held on a
    // page-side gap of 35 ms or a lapse downstream of the page. Still open in issue 20.
    [QuietMachineFact("passes about half the time on the 2-core VM: the headless page's timers still lapse past the 30 ms watchdog now and then; issue 20 open")]
    public async Task ConsoleSession_SyntheticPointer_DrivesTheSimulatedArmToTheTargetInsideTheCorridor()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "/usr/bin/chromium is missing: install Debian's chromium package (./test.sh does).");
        string dir = RepositoryPaths.TempDir("console-session");
        string robotPath = RepositoryPaths.Config("robots", "metai-arm6.json");
        RobotModel robot = RobotConfigJson.Load(robotPath);
        Corridor corridor = SimulatedRig.CorridorAroundHome(robot);
        string corridorPath = Path.Combine(dir, "corridor.json");
        CorridorJson.Save(corridor, corridorPath);
        IReadOnlyList<RigUser> users = RigUser.Generate();
        string usersPath = Path.Combine(dir, "users.json");
        File.WriteAllText(usersPath, UsersJson(users));
        string keyPath = Path.Combine(dir, "teleop.key");

        // The servo twin at its SCHED_FIFO priority, as the kill test's and the campaign's --rt rigs run it (falls back silently
        // without CAP_SYS_NICE): headless Chromium rendering WebGL on SwiftShader takes both cores, and a starved twin
        // answers the controller's reads past the shipped 40 ms servo timeout (Fault: ServoBus during Home).
        using ServoChainTwin chain = SimulatedRig.StartServoTwin(robot, new ServoSettings { EncoderNoiseCounts = 0 }, 1, SimulatedRig.ServoTwinPriority);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            // --rt: the controller as deployed (SCHED_FIFO loop and servo IO; falls back silently without CAP_SYS_NICE).
            CliProcess.CliDll(), "control", "--robot", robotPath, "--serial", chain.SlavePath, "--port", "0", "--users", usersPath,
            "--teleop-key", keyPath, "--master", Master, "--corridor", corridorPath, "--audit", Path.Combine(dir, "audit.jsonl"), "--rt",
        })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["METAI_HOME"] = RepositoryPaths.Root();
        var log = new StringBuilder();

        // The e-stop device twin, the service that relays the console's poses and heartbeats, and Playwright all live in
        // this test process: one collection here silences them all at once — the 2-core runs' "haptic heartbeat, master
        // pose and e-stop device silent together". On the bench they are separate devices. A no-GC region keeps this
        // process's collections out of the session (as a single HIL run does: Hil/Runner/ScenarioNoGcRegion), and the
        // stall witness says whether the process stood still anyway.
        // This process hosts the e-stop device twin, the operator console, the service's relay and Playwright, all on the
        // thread pool. On 2 cores the pool starts with 2 threads and adds one about every 500 ms when they are all busy:
        // a queue of blocked continuations silenced the e-stop device's heartbeats for 250 ms (EStopDeviceSilent) while
        // no thread of the machine stood still. A real deployment has these on separate devices.
        ThreadPool.GetMinThreads(out int workers, out int completions);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(completions, 32));
        StallWitness witness = StallWitness.Shared(realtime: true);
        long sessionFrom = Stopwatch.GetTimestamp();
        bool noGc = false;
        try
        {
            noGc = GC.TryStartNoGCRegion(1L << 30);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
        {
            output.WriteLine($"no no-GC region for the session: {ex.Message}");
        }

        using Process controller = Process.Start(start)!;
        controller.OutputDataReceived += (_, e) => Append(log, e.Data);
        controller.ErrorDataReceived += (_, e) => Append(log, e.Data);
        controller.BeginOutputReadLine();
        controller.BeginErrorReadLine();
        try
        {
            int brokerPort = await BrokerPortAsync(controller, log);
            MqttEndpoint Endpoint(string user) => new() { Host = "127.0.0.1", Port = brokerPort, UserName = user, Password = users.First(u => u.Name == user).Password };
            await using var estop = new EStopButtonTwin(Endpoint("estop"), robot.Name);
            await using var operatorConsole = new OperatorConsoleClient(Endpoint("operator"), robot.Name);
            await using var monitor = new ControllerStateMonitor(Endpoint("observer"), robot.Name);
            await estop.StartAsync();
            await operatorConsole.StartAsync();
            await monitor.StartAsync();
            var tool = new ToolWatch();
            await using var telemetry = new MqttConnection(new MqttConnectionOptions
            {
                Endpoint = Endpoint("observer"),
                Subscriptions = [new MqttTopicFilter { Topic = new MqttTopics(robot.Name).Telemetry, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce }],
                OnMessage = (_, payload) => tool.Read(payload),
            });
            await telemetry.ConnectAsync();

            // The service, on a loopback port, following that controller and issuing console credentials for its master.
            int httpPort = EmbeddedBroker.FreeTcpPort();
            await using WebApplication service = ServiceHost.Build(
            [
                "--urls", $"http://127.0.0.1:{httpPort}", $"--Service:DataDirectory={Path.Combine(dir, "service")}",
                "--Controller:Mode=mqtt", $"--Controller:Broker=mqtt://127.0.0.1:{brokerPort}", "--Controller:User=observer",
                $"--Controller:Password={users.First(u => u.Name == "observer").Password}",
                $"--Controller:TeleopKeyFile={keyPath}", $"--Controller:TeleopMaster={Master}",
            ]);
            await service.StartAsync();
            UserStore accounts = service.Services.GetRequiredService<UserStore>();
            accounts.Add("sam", Role.Surgeon);
            (string token, _) = accounts.IssueToken("sam", 1);

            using IPlaywright playwright = await Playwright.CreateAsync();
            // Chromium at SCHED_IDLE (a wrapper script): the surgeon's browser runs on a workstation of its own; here it shares
            // two cores with the controller, and at normal priority its renderer took the CPU the 30 ms watchdogs need. Not
            // nice 19: Chromium, run as root, lifts its own threads (renderer to nice 0, compositors to nice -8); the
            // scheduling class it does not touch.
            string niceChromium = Path.Combine(dir, "chromium-nice");
            File.WriteAllText(niceChromium, Environment.GetEnvironmentVariable("METAI_CONSOLE_CHROMIUM_WRAP") is { Length: > 0 } wrap
                ? $"#!/bin/sh\nexec {wrap} /usr/bin/chromium \"$@\"\n"
                : "#!/bin/sh\nexec chrt -i 0 /usr/bin/chromium \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(niceChromium, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = niceChromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--disable-dev-shm-usage", "--disable-background-timer-throttling", "--disable-renderer-backgrounding"],
            });
            IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 1100 } });
            page.SetDefaultTimeout(30_000);
            try
            {
                var consoleErrors = new ConcurrentQueue<string>();
                page.Console += (_, m) =>
                {
                    if (m.Type == "error")
                    {
                        consoleErrors.Enqueue($"{m.Text} ({m.Location})");
                    }
                };
                // The service's Content-Security-Policy: the console raises no violation (WebSocket to 'self' included).
                await page.AddInitScriptAsync("""
                    window.metaiCspViolations = [];
                    document.addEventListener("securitypolicyviolation", (e) => window.metaiCspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
                    """);

                // A synthetic gamepad with a rumble motor (Gamepad API), its clutch (B) held so that only the pointer moves the
                // arm: the page must play the restoring force on it.
                await page.AddInitScriptAsync("""
                    window.syntheticPad = { axes: [0, 0, 0, 0], buttons: Array.from({ length: 17 }, (_, i) => ({ pressed: i === 1, touched: false, value: i === 1 ? 1 : 0 })), rumbles: 0 };
                    const syntheticGamepad = {
                      id: "synthetic gamepad (test)", index: 0, connected: true, mapping: "standard", timestamp: 0,
                      get axes() { return window.syntheticPad.axes; },
                      get buttons() { return window.syntheticPad.buttons; },
                      vibrationActuator: { type: "dual-rumble", playEffect: () => { window.syntheticPad.rumbles += 1; return Promise.resolve("complete"); } },
                    };
                    Object.defineProperty(Navigator.prototype, "getGamepads", { configurable: true, value: () => [syntheticGamepad, null, null, null] });
                    """);
                await page.GotoAsync($"http://127.0.0.1:{httpPort}/console.html");
                await page.FillAsync("#api-key", token);
                await page.ClickAsync("#key-form button");
                await page.WaitForSelectorAsync("#connect:not([disabled])");
                // Signed out, the page's first /api/session answers 401 (Chromium logs it as a console error); that is the
                // sign-in form's cue, not a fault. From the sign-in on, the console must log no error.
                Assert.All(consoleErrors, e => Assert.Contains("/api/session", e, StringComparison.Ordinal));
                consoleErrors.Clear();
                await page.ClickAsync("#connect");
                await page.WaitForFunctionAsync("() => window.metaiConsole.stats().connected && window.metaiConsole.stats().posesSent > 50");
                await page.EvaluateAsync("() => document.activeElement && document.activeElement.blur()");
                await page.Keyboard.DownAsync("Space"); // the deadman, held for the whole session

                // The operator at the arm: Enable → Home → StartTeleop; Aligning waits for the surgeon's first drag.
                await Command(operatorConsole, monitor, ControllerCommandKind.Enable, SafetyState.Enabled, log);
                await Command(operatorConsole, monitor, ControllerCommandKind.Home, SafetyState.Ready, log);
                await Command(operatorConsole, monitor, ControllerCommandKind.StartTeleop, SafetyState.Aligning, log);

                Pose home = robot.ForwardKinematics(robot.HomeRad);
                Vec3 axis = home.Orientation.Rotate(Vec3.UnitX);
                Vec3 target = robot.PatientToRobot.Apply(corridor.TargetLps);
                ILocator pad = page.Locator("#pad");
                LocatorBoundingBoxResult box = (await pad.BoundingBoxAsync())!;
                double cx = box.X + box.Width / 2, cy = box.Y + box.Height / 2;

                // A stroke moves the master by (dx, dz) metres in the pad's side view (x right, z up); lifting is the clutch.
                async Task Stroke(double dxM, double dzM)
                {
                    double px = dxM / MetresPerPixel, py = -dzM / MetresPerPixel;
                    int steps = Math.Max(4, (int)(Math.Sqrt(px * px + py * py) / 4));
                    await page.Mouse.MoveAsync((float)cx, (float)cy);
                    await page.Mouse.DownAsync();
                    await page.Mouse.MoveAsync((float)(cx + px), (float)(cy + py), new MouseMoveOptions { Steps = steps });
                    // The tool's speed is limited (0.1 m/s): let it catch up before the clutch.
                    await Task.Delay(600);
                    await page.Mouse.UpAsync();
                }

                // 1. A few millimetres in, then a push against the wall: the page shows the restoring force.
                await Stroke(axis.X * 0.01 / TranslationScale, axis.Z * 0.01 / TranslationScale);
                var across = new Vec3(axis.Z, 0, -axis.X); // perpendicular to the axis in the x–z plane
                double pushM = (corridor.RadiusMm + 1.5) / 1000 / TranslationScale;
                await page.Mouse.MoveAsync((float)cx, (float)cy);
                await page.Mouse.DownAsync();
                await page.Mouse.MoveAsync((float)(cx + across.X * pushM / MetresPerPixel), (float)(cy - across.Z * pushM / MetresPerPixel), new MouseMoveOptions { Steps = 20 });
                await page.WaitForFunctionAsync("() => { const f = window.metaiConsole.stats().lastForce; return f.active && Math.hypot(...f.newtons) > 0.2; }");
                // The page redraws at most 30 times a second: wait for the text to show it.
                await page.WaitForFunctionAsync("() => document.querySelector('#force').textContent.includes('fixture active')");
                string forceText = (await page.TextContentAsync("#force"))!;
                Assert.Contains("fixture active", forceText, StringComparison.Ordinal);
                await page.WaitForFunctionAsync("() => window.syntheticPad.rumbles > 0");
                await page.Mouse.MoveAsync((float)cx, (float)cy, new MouseMoveOptions { Steps = 20 });
                await Task.Delay(600);
                await page.Mouse.UpAsync();

                // 2. Strokes along the corridor until the tool is at the target.
                for (int stroke = 0; stroke < 20 && tool.DistanceTo(target) > 0.0015; stroke++)
                {
                    // Towards the target in the pad's plane (x, z), at most 20 mm of tool travel a stroke; the corridor's axis
                    // lies in that plane (y = 0), so this also takes out any sideways drift.
                    Vec3 toGo = target - tool.Position;
                    double lengthM = Math.Sqrt(toGo.X * toGo.X + toGo.Z * toGo.Z);
                    double k = lengthM > 0.02 ? 0.02 / lengthM : 1;
                    Assert.True(monitor.State is SafetyState.Aligning or SafetyState.Following or SafetyState.Clutched,
                        $"the arm left teleoperation: {monitor.State} ({monitor.Interlocks}); {Stalls(witness, sessionFrom)} {Tail(log)}");
                    await Stroke(toGo.X * k / TranslationScale, toGo.Z * k / TranslationScale);
                    output.WriteLine($"stroke {stroke}: tool {tool.DistanceTo(target) * 1000:F2} mm from the target, state {monitor.State}");
                }

                await page.Keyboard.UpAsync("Space");
                JsonElement stats = await page.EvaluateAsync<JsonElement>("() => window.metaiConsole.stats()");
                output.WriteLine($"console: {stats}");
                double toTargetMm = tool.DistanceTo(target) * 1000;
                double offAxisMm = corridor.DistanceToCenterline(robot.PatientToRobot.Inverse().Apply(tool.Position));
                Assert.True(toTargetMm < 2, $"the tool ended {toTargetMm:F2} mm from the target ({monitor.State}, {monitor.Interlocks}); {Stalls(witness, sessionFrom)} {Tail(log)}");
                Assert.True(offAxisMm < corridor.RadiusMm, $"the tool ended {offAxisMm:F2} mm off the corridor's centreline");
                Assert.DoesNotContain("CorridorViolation", monitor.Interlocks ?? "", StringComparison.Ordinal);
                Assert.True(stats.GetProperty("posesSent").GetInt64() > 0);
                Assert.True(consoleErrors.IsEmpty, "console errors: " + string.Join("; ", consoleErrors));
                Assert.Empty(await page.EvaluateAsync<string[]>("() => window.metaiCspViolations"));
                Assert.Contains("connected as master 'console1' with a token issued to 'sam'", Read(log), StringComparison.Ordinal);
            }
            finally
            {
                // Before the browser closes: the page's own heartbeat timing beside the controller's audited lapses.
                await PageTiming(page, Path.Combine(dir, "audit.jsonl"));
            }
        }
        finally
        {
            if (!controller.HasExited)
            {
                controller.Kill(entireProcessTree: true);
                controller.WaitForExit(10_000);
            }

            if (noGc && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }

            output.WriteLine(Stalls(witness, sessionFrom));
            output.WriteLine(Tail(log, 40));
        }
    }

    // Where a heartbeat lapse arose: the page's own late beats (sent > 20 ms after the one before, epoch ms) beside the
    // lapses the controller audited (> 30 ms since the last heartbeat it received). Late on the page: its timers; on time
    // there but late at the controller: the relay, the broker or the controller's MQTT side.
    private async Task PageTiming(IPage page, string auditPath)
    {
        try
        {
            if (!page.IsClosed)
            {
                JsonElement st = await page.EvaluateAsync<JsonElement>("() => window.metaiConsole.stats()");
                output.WriteLine($"page: heartbeats sent {st.GetProperty("heartbeatsSent")}, longest gap {st.GetProperty("heartbeatGapMaxMs").GetDouble():F1} ms, late (> 20 ms; epoch ms, gap ms): {st.GetProperty("heartbeatsLate")}");
            }
        }
        catch (PlaywrightException ex)
        {
            output.WriteLine($"page timing unavailable: {ex.Message}");
        }

        if (File.Exists(auditPath))
        {
            var lapses = new List<string>();
            foreach (string l in File.ReadLines(auditPath))
            {
                if (l.Contains("\"interlockRaised\"", StringComparison.Ordinal) && l.Contains("\"HapticHeartbeat\"", StringComparison.Ordinal))
                {
                    using JsonDocument d = JsonDocument.Parse(l);
                    JsonElement e = d.RootElement;
                    lapses.Add($"{DateTimeOffset.Parse(e.GetProperty("utc").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()} ({e.GetProperty("detail").GetString()})");
                }
            }

            output.WriteLine($"controller: {lapses.Count} heartbeat lapse(s) audited (epoch ms): {string.Join("; ", lapses.TakeLast(100))}");
        }
    }

    // The machine's stalls during the session, per CPU (the witnesses run above every thread at SCHED_FIFO when they may).
    private static string Stalls(StallWitness witness, long from)
    {
        IReadOnlyList<ProcessStall> stalls = witness.Between(from, Stopwatch.GetTimestamp());
        return stalls.Count == 0
            ? "test machine: no stall of 2 ms or more"
            : string.Create(CultureInfo.InvariantCulture,
                $"test machine: {stalls.Count} stall(s) of 2 ms or more on {stalls.Select(x => x.Cpu).Distinct().Count()} CPU(s), longest {stalls.Max(x => x.Ms):F1} ms, {stalls.GroupBy(x => x.Cpu).Max(g => g.Sum(x => x.GcPauseMs)):F1} ms of garbage collection (witnesses real-time: {witness.Authoritative})");
    }

    private static async Task Command(OperatorConsoleClient console, ControllerStateMonitor monitor, ControllerCommandKind kind, SafetyState expected, StringBuilder log)
    {
        var sw = Stopwatch.StartNew();
        console.Send(kind);
        while (monitor.State != expected)
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"after {kind} the controller is in {monitor.State} ({monitor.Interlocks}), not {expected}. {Tail(log)}");
            await Task.Delay(20);
        }
    }

    // The measured tool position from the controller's telemetry (robot frame, metres).
    private sealed class ToolWatch
    {
        private Vec3 _position = new(double.NaN, double.NaN, double.NaN);

        public Vec3 Position => _position;

        public void Read(ReadOnlySpan<byte> payload)
        {
            using JsonDocument doc = JsonDocument.Parse(payload.ToArray());
            if (doc.RootElement.TryGetProperty("toolM", out JsonElement t) && t.GetArrayLength() == 3)
            {
                _position = new Vec3(t[0].GetDouble(), t[1].GetDouble(), t[2].GetDouble());
            }
        }

        public double DistanceTo(Vec3 p) => double.IsNaN(_position.X) ? double.PositiveInfinity : (p - _position).Length;
    }

    private static async Task<int> BrokerPortAsync(Process controller, StringBuilder log)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            Match m = BrokerLine().Match(Read(log));
            if (m.Success)
            {
                return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            Assert.False(controller.HasExited || sw.Elapsed > TimeSpan.FromSeconds(60), $"the controller did not come up: {Read(log)}");
            await Task.Delay(20);
        }
    }

    [GeneratedRegex(@"broker mqtt://127\.0\.0\.1:(\d+),")]
    private static partial Regex BrokerLine();

    private static string UsersJson(IReadOnlyList<RigUser> users) => JsonSerializer.Serialize(users.Where(u => u.Role != MqttRole.Controller)
        .Select(u => new { name = u.Name, role = u.Role.ToString(), passwordHash = MqttUser.HashPassword(u.Password) }));

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is not null)
        {
            lock (sb)
            {
                sb.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder sb)
    {
        lock (sb)
        {
            return sb.ToString();
        }
    }

    private static string Tail(StringBuilder sb, int lines = 12) => string.Join('\n', Read(sb).Split('\n').TakeLast(lines));
}
