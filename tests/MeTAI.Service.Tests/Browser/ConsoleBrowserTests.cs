using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Safety;
using MeTAI.Service.Controller;
using MeTAI.Service.Users;
using MeTAI.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeTAI.Service.Tests.Browser;

/// <summary>
/// The console page in Debian's Chromium against the simulated arm (<c>--controller sim --teleop-key</c>: the sim's
/// relaxed watchdogs tolerate a loaded machine): a surgeon's key, Connect, the space bar held as deadman — the
/// service's simulated operator brings the arm to Following — then a pointer drag on the pad moves the arm; the page
/// raises no CSP violation and no script error. Non-surgeons are told the console is not theirs.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public class ConsoleBrowserTests
{
    private const string Listener = """
        window.metaiCspViolations = [];
        document.addEventListener("securitypolicyviolation", (e) => window.metaiCspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
        """;

    [Fact]
    public async Task Console_SurgeonDragsThePad_TheSimulatedArmFollows()
    {
        string key = Path.Combine(ServiceFactory.NewDataDirectory(), "teleop.key");
        await using BrowserHost host = await BrowserHost.StartAsync(new Dictionary<string, string?>
        {
            ["Controller:Mode"] = "sim",
            ["Controller:TeleopKeyFile"] = key,
        });
        UserStore users = host.Service.Services.GetRequiredService<UserStore>();
        users.Add("sam", Role.Surgeon);
        (string token, _) = users.IssueToken("sam", 1);
        users.Add("eng", Role.Engineer);
        (string engineer, _) = users.IssueToken("eng", 1);
        SimulatedRig rig = host.Service.Services.GetRequiredService<ControllerMonitor>().Rig!;

        IPage page = await host.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 1100 } });
        page.SetDefaultTimeout(60_000);
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            // 401/403 answers (before a key is entered) are logged as failed loads; a CSP violation or script error is not allowed.
            if (m.Type == "error" && !m.Text.Contains("status of 40", StringComparison.Ordinal))
            {
                lock (errors)
                {
                    errors.Add(m.Text);
                }
            }
        };
        await page.AddInitScriptAsync(Listener);

        // An engineer sees the page but no console link and a note instead of Connect.
        await page.GotoAsync(host.BaseUrl + "/console.html");
        await page.FillAsync("#api-key", engineer);
        await page.ClickAsync("#key-form button");
        await page.WaitForSelectorAsync("#note:not([hidden])");
        Assert.Contains("for surgeons", await page.TextContentAsync("#note"), StringComparison.Ordinal);
        Assert.True(await page.IsDisabledAsync("#connect"));
        Assert.False(await page.IsVisibleAsync("nav a[href='console.html']"));

        // The surgeon.
        await page.FillAsync("#api-key", token);
        await page.ClickAsync("#key-form button");
        await page.WaitForSelectorAsync("#connect:not([disabled])");
        Assert.True(await page.IsVisibleAsync("nav a[href='console.html']"));
        await page.ClickAsync("#connect");
        await page.WaitForFunctionAsync("() => window.metaiConsole.stats().connected && window.metaiConsole.stats().posesSent > 20");
        await page.EvaluateAsync("() => document.activeElement && document.activeElement.blur()");
        await page.Keyboard.DownAsync("Space");
        await page.WaitForFunctionAsync("() => window.metaiConsole.stats().present && ['Aligning', 'Following'].includes(window.metaiConsole.stats().state)");

        // Drag: pointer down releases the clutch (Aligning → Following), 60 px right = +30 mm at the master, +6 mm at the tool.
        ILocator pad = page.Locator("#pad");
        LocatorBoundingBoxResult box = (await pad.BoundingBoxAsync())!;
        float cx = box.X + box.Width / 2, cy = box.Y + box.Height / 2;
        Vec3 before = Tool(rig);
        await page.Mouse.MoveAsync(cx, cy);
        await page.Mouse.DownAsync();
        await page.WaitForFunctionAsync("() => window.metaiConsole.stats().state === 'Following'");
        await page.Mouse.MoveAsync(cx + 60, cy, new MouseMoveOptions { Steps = 15 });
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while ((Tool(rig) - before).X < 0.003 && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        Vec3 moved = Tool(rig) - before;
        await page.Mouse.UpAsync();

        // Push across the sim's corridor (20 mm radius) to 2.5 mm past its wall: the page shows the restoring force.
        Pose home = rig.Robot.ForwardKinematics(rig.Robot.HomeRad);
        Vec3 axis = home.Orientation.Rotate(Vec3.UnitX);
        var across = new Vec3(axis.Z, 0, -axis.X);
        Vec3 offset = Tool(rig) - home.Position;
        double pushM = ((ControllerMonitor.SimCorridorRadiusMm + 2.5) / 1000 - Vec3.Dot(offset, across)) / 0.2;
        await page.Mouse.MoveAsync(cx, cy);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(cx + (float)(across.X * pushM / 0.0005), cy - (float)(across.Z * pushM / 0.0005), new MouseMoveOptions { Steps = 30 });
        await page.WaitForFunctionAsync("() => { const f = window.metaiConsole.stats().lastForce; return f.active && Math.hypot(...f.newtons) > 0.5; }");
        // The page redraws at most 30 times a second: wait for the text to show it.
        await page.WaitForFunctionAsync("() => document.querySelector('#force').textContent.includes('fixture active')");
        Assert.Contains("fixture active", await page.TextContentAsync("#force"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("web-console.png") }); // docs/images/web-console.png: the restoring force shown
        await page.Mouse.MoveAsync(cx, cy, new MouseMoveOptions { Steps = 30 });
        await page.Mouse.UpAsync();
        await page.Keyboard.UpAsync("Space");
        JsonElement stats = await page.EvaluateAsync<JsonElement>("() => window.metaiConsole.stats()");
        Assert.True(moved.X > 0.003, $"the tool moved {moved} m ({rig.Controller.State}, {rig.Controller.Core.LastInterlocks}); console {stats}");
        Assert.Equal(0.03, stats.GetProperty("position")[0].GetDouble(), 6);
        Assert.True(stats.GetProperty("heartbeatsSent").GetInt64() > 0);
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.metaiCspViolations"));
        lock (errors)
        {
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }

        // Letting go of the deadman holds the arm (the simulated operator resumes it only when it is held again).
        await page.WaitForFunctionAsync("() => !window.metaiConsole.stats().present");
        Assert.Equal(SafetyState.Paused, await WaitForAsync(rig, s => s == SafetyState.Paused));
    }

    [Fact]
    public async Task Console_SyntheticGamepad_StickMovesTheSimulatedArm_ShoulderButtonIsTheDeadman()
    {
        string key = Path.Combine(ServiceFactory.NewDataDirectory(), "teleop.key");
        await using BrowserHost host = await BrowserHost.StartAsync(new Dictionary<string, string?>
        {
            ["Controller:Mode"] = "sim",
            ["Controller:TeleopKeyFile"] = key,
        });
        UserStore users = host.Service.Services.GetRequiredService<UserStore>();
        users.Add("sam", Role.Surgeon);
        (string token, _) = users.IssueToken("sam", 1);
        SimulatedRig rig = host.Service.Services.GetRequiredService<ControllerMonitor>().Rig!;
        IPage page = await host.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 1100 } });
        page.SetDefaultTimeout(60_000);
        await page.AddInitScriptAsync(Listener + SyntheticGamepad);
        await page.GotoAsync(host.BaseUrl + "/console.html");
        await page.FillAsync("#api-key", token);
        await page.ClickAsync("#key-form button");
        await page.WaitForSelectorAsync("#connect:not([disabled])");
        await page.ClickAsync("#connect");
        await page.WaitForFunctionAsync("() => window.metaiConsole.stats().connected");
        await page.WaitForFunctionAsync("() => document.getElementById('gamepad').textContent.includes('synthetic gamepad')");

        // LB held: operator present; no B: unclutched, so the arm follows once the simulated operator starts teleoperation.
        await page.EvaluateAsync("() => { window.syntheticPad.buttons[4].pressed = true; }");
        await page.WaitForFunctionAsync("() => window.metaiConsole.stats().present && window.metaiConsole.stats().state === 'Following'");
        Vec3 before = Tool(rig);
        await page.EvaluateAsync("() => { window.syntheticPad.axes[0] = 1; }");
        await page.WaitForFunctionAsync("() => window.metaiConsole.stats().position[0] > 0.03");
        await page.EvaluateAsync("() => { window.syntheticPad.axes[0] = 0; }");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while ((Tool(rig) - before).X < 0.003 && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        Vec3 moved = Tool(rig) - before;
        Assert.True(moved.X > 0.003, $"the tool moved {moved} m ({rig.Controller.State}, {rig.Controller.Core.LastInterlocks})");
        await page.EvaluateAsync("() => { window.syntheticPad.buttons[4].pressed = false; }");
        Assert.Equal(SafetyState.Paused, await WaitForAsync(rig, s => s == SafetyState.Paused));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.metaiCspViolations"));
    }

    /// <summary>
    /// A gamepad the page sees through the Gamepad API (<c>navigator.getGamepads</c>), driven by the test through
    /// <c>window.syntheticPad</c>; its rumble calls are counted in <c>window.syntheticPad.rumbles</c>.
    /// </summary>
    internal const string SyntheticGamepad = """
        window.syntheticPad = { axes: [0, 0, 0, 0], buttons: Array.from({ length: 17 }, () => ({ pressed: false, touched: false, value: 0 })), rumbles: 0 };
        const syntheticGamepad = {
          id: "synthetic gamepad (test)", index: 0, connected: true, mapping: "standard", timestamp: 0,
          get axes() { return window.syntheticPad.axes; },
          get buttons() { return window.syntheticPad.buttons; },
          vibrationActuator: { type: "dual-rumble", playEffect: () => { window.syntheticPad.rumbles += 1; return Promise.resolve("complete"); } },
        };
        Object.defineProperty(Navigator.prototype, "getGamepads", { configurable: true, value: () => [syntheticGamepad, null, null, null] });
        """;

    private static Vec3 Tool(SimulatedRig rig)
    {
        using JsonDocument doc = JsonDocument.Parse(rig.Controller.TelemetryJson());
        JsonElement t = doc.RootElement.GetProperty("toolM");
        return new Vec3(t[0].GetDouble(), t[1].GetDouble(), t[2].GetDouble());
    }

    private static async Task<SafetyState> WaitForAsync(SimulatedRig rig, Func<SafetyState, bool> condition)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition(rig.Controller.State) && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        return rig.Controller.State;
    }
}
