using System.Text.Json;
using MeTAI.Service.Users;
using Microsoft.Playwright;

namespace MeTAI.Service.Tests.Browser;

/// <summary>
/// A surgeon starts a liver-needle rehearsal from the rehearsals page and opens its 3D scene in Chromium (WebGL on
/// SwiftShader): the canvas is not blank, the expected objects are there (read from <c>window.metaiScene</c>), hiding
/// them all leaves the background alone (so the pixels are the objects), the replay plays to its end with the tissue
/// moving, the coronal CT plane follows its slider, the page says the rehearsal has no plan (so no isodoses), the VR
/// button stays hidden without an XR device,
/// and no Content-Security-Policy violation is raised. The screenshot is docs/images/web-scene.png.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public class SceneBrowserTests
{
    private static readonly string[] ExpectedObjects =
        ["tissue:body-wall", "tissue:liver", "tissue:tumour", "roi:Tumor", "roi:Vessel", "trajectory:1", "chosen-path", "corridor", "target", "robot", "ct:axial", "ct:coronal", "ct:sagittal"];

    [Fact]
    public async Task Scene_OfARehearsal_RendersItsObjects()
    {
        await using BrowserHost host = await BrowserHost.StartAsync(webGl: true);
        UserStore users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<UserStore>(host.Service.Services);
        users.Add("sara", Role.Surgeon);
        users.SetPassword("sara", "sara-long-passphrase");
        await using IBrowserContext context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        await context.AddInitScriptAsync(ContentSecurityPolicyTests.Listener);
        IPage page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text + " @ " + m.Location); };

        await page.GotoAsync(host.BaseUrl + "/rehearsals.html");
        await page.FillAsync("#signin-name", "sara");
        await page.FillAsync("#signin-password", "sara-long-passphrase");
        await page.ClickAsync("#signin-form button");
        await page.WaitForSelectorAsync("#account:not([hidden])");
        consoleErrors.Clear(); // the 401s of the signed-out first visit

        // The form offers liver-needle with its ROIs, Tumor as the target and Vessel to avoid. A quick rehearsal (24 mm
        // lattice, 3 entries) keeps the suite short; METAI_BROWSER_STATISTICS=standard rehearses with the defaults
        // (16 mm, 12 entries: about a minute more; how docs/images/web-scene.png was taken).
        await page.WaitForSelectorAsync("#case option[value='case:liver-needle']", new() { State = WaitForSelectorState.Attached });
        Assert.Equal("Tumor", await page.InputValueAsync("#target"));
        Assert.Equal(["Vessel"], await page.EvalOnSelectorAsync<string[]>("#avoid", "s => [...s.selectedOptions].map(o => o.value)"));

        // A phantom has no plan to show: the plan choice is "No plan", switched off.
        Assert.True(await page.Locator("#plan").IsDisabledAsync());
        Assert.Equal("", await page.InputValueAsync("#plan"));
        if (Environment.GetEnvironmentVariable("METAI_BROWSER_STATISTICS") != "standard")
        {
            await page.FillAsync("#candidates", "3");
            await page.FillAsync("#resolution", "24");
        }

        await page.ClickAsync("#start");
        ILocator link = page.Locator("#rehearsals a[href^='scene.html?id=']").First;
        await link.WaitForAsync(new() { Timeout = 300_000 });
        string[] listViolations = await page.EvaluateAsync<string[]>("() => window.metaiCspViolations");
        Assert.True(listViolations.Length == 0, "rehearsals.html: " + string.Join("\n", listViolations));
        await link.ClickAsync();

        try
        {
            await page.WaitForFunctionAsync("() => window.metaiScene?.ready && window.metaiScene.frames() > 3", null, new() { Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The scene did not render: {await page.TextContentAsync("#error")} {string.Join("; ", consoleErrors)}", e);
        }

        // The three CT planes are in (each fetched from /api/rehearsals/{id}/ct) before anything is measured.
        await page.WaitForFunctionAsync("() => { const p = Object.values(window.metaiScene.ctPlanes()); return p.length === 3 && p.every(x => x.index >= 0 && x.index === x.wanted); }", null, new() { Timeout = 60_000 });
        string[] names = await page.EvaluateAsync<string[]>("() => window.metaiScene.objectNames()");
        foreach (string expected in ExpectedObjects)
        {
            Assert.Contains(expected, names);
        }

        string[] robot = await page.EvaluateAsync<string[]>("() => window.metaiScene.robotParts()");
        Assert.Contains("robot:base", robot);
        Assert.Contains("robot:tool", robot);
        Assert.Equal(6, robot.Count(r => r.StartsWith("robot:joint:", StringComparison.Ordinal)));

        // Not blank: much of the canvas differs from the background, in many colours (shaded surfaces, the CT slice).
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("web-scene.png") });
        JsonElement drawn = await page.EvaluateAsync<JsonElement>("() => window.metaiScene.pixelStats()");
        Assert.True(drawn.GetProperty("foregroundFraction").GetDouble() > 0.05, $"{drawn} {string.Join("; ", consoleErrors)}");
        Assert.True(drawn.GetProperty("distinctColours").GetInt32() > 50, drawn.ToString());

        // Every object switched off through the page's own switches: only the background is left, so the pixels above
        // were the scene's objects. Switched back on, they return.
        await page.EvaluateAsync("() => document.querySelectorAll('#layers input[type=checkbox]').forEach(c => c.click())");
        JsonElement empty = await page.EvaluateAsync<JsonElement>("() => window.metaiScene.pixelStats()");
        Assert.True(empty.GetProperty("foregroundFraction").GetDouble() < 0.001, empty.ToString());
        await page.EvaluateAsync("() => document.querySelectorAll('#layers input[type=checkbox]').forEach(c => c.click())");
        JsonElement again = await page.EvaluateAsync<JsonElement>("() => window.metaiScene.pixelStats()");
        Assert.Equal(drawn.GetProperty("foregroundFraction").GetDouble(), again.GetProperty("foregroundFraction").GetDouble(), 3);

        // A phantom rehearsal names no plan: no isodoses, and the page says so.
        Assert.DoesNotContain(names, n => n.StartsWith("isodose:", StringComparison.Ordinal));
        Assert.Contains("No plan", await page.TextContentAsync("#plan-info"), StringComparison.Ordinal);

        // The coronal slider moved to its last plane: the plane is fetched again and moves, by the volume's j step per
        // plane, posterior (+Y) in LPS; the other planes stay.
        JsonElement before = await page.EvaluateAsync<JsonElement>("() => window.metaiScene.ctPlanes()");
        int from = before.GetProperty("coronal").GetProperty("index").GetInt32(), last = before.GetProperty("coronal").GetProperty("count").GetInt32() - 1;
        Assert.True(last > from, before.ToString());
        await page.Locator("#ct-coronal").EvaluateAsync("(s, v) => { s.value = String(v); s.dispatchEvent(new Event('input', { bubbles: true })); }", last);
        await page.WaitForFunctionAsync($"() => window.metaiScene.ctPlanes().coronal.index === {last}", null, new() { Timeout = 60_000 });
        JsonElement after = await page.EvaluateAsync<JsonElement>("() => window.metaiScene.ctPlanes()");
        using JsonDocument scene = JsonDocument.Parse(await page.EvaluateAsync<string>("async () => JSON.stringify((await (await fetch('/api/rehearsals/' + new URLSearchParams(location.search).get('id') + '/scene', { headers: { 'X-MeTAI-Request': '1' } })).json()).ctVolume)"));
        double stepJ = scene.RootElement.GetProperty("stepJLps")[1].GetDouble();
        for (int a = 0; a < 3; a++)
        {
            double moved = after.GetProperty("coronal").GetProperty("centreLps")[a].GetDouble() - before.GetProperty("coronal").GetProperty("centreLps")[a].GetDouble();
            Assert.Equal(a == 1 ? (last - from) * stepJ : 0, moved, 0.05);
            Assert.Equal(before.GetProperty("axial").GetProperty("centreLps")[a].GetDouble(), after.GetProperty("axial").GetProperty("centreLps")[a].GetDouble(), 3);
        }

        Assert.Equal($"{last + 1} / {last + 1}", await page.TextContentAsync("#ct-coronal-value"));

        // The replay plays to its last frame and moves the tissue surfaces.
        await page.ClickAsync("#replay-play");
        await page.WaitForFunctionAsync("() => { const r = window.metaiScene.replay(); return r.frames > 0 && r.frame === r.frames - 1 && !r.playing; }", null, new() { Timeout = 120_000 });
        JsonElement replayed = await page.EvaluateAsync<JsonElement>("() => window.metaiScene.replay()");
        Assert.True(replayed.GetProperty("maxShownDisplacementMm").GetDouble() > 0.5, replayed.ToString());
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("web-scene-replay.png") });

        // Progressive WebXR: without an immersive-vr device the button stays hidden and the page works.
        Assert.True(await page.Locator("#enter-vr").IsHiddenAsync());
        Assert.Contains("liver-needle", await page.TextContentAsync("#scene-case"), StringComparison.Ordinal);

        string[] violations = await page.EvaluateAsync<string[]>("() => window.metaiCspViolations");
        Assert.True(violations.Length == 0, string.Join("\n", violations));
        Assert.True(consoleErrors.Count == 0, string.Join("\n", consoleErrors));
    }
}
