using System.Text.Json;
using MeTAI.Service.Tests.Rehearsals;
using MeTAI.Service.Users;
using MeTAI.TestUtilities;
using Microsoft.Playwright;

namespace MeTAI.Service.Tests.Browser;

/// <summary>
/// The scene of an uploaded case rehearsed with a plan of it, in Chromium (WebGL on SwiftShader): the pydicom abdomen
/// is uploaded, planned with liver-tumor and rehearsed naming the plan over the API; the page draws the plan's 95 % and
/// 50 % isodose surfaces and says which plan they are, the three CT planes load, and no Content-Security-Policy
/// violation or console error is raised. The screenshot is docs/images/web-scene-plan.png.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public class SceneIsodoseBrowserTests
{
    private static readonly string[] PortalVein = ["Portal vein"];

    [ToolFact("pydicom")]
    public async Task Scene_OfAnUploadRehearsedWithAPlan_DrawsItsIsodoses()
    {
        await using BrowserHost host = await BrowserHost.StartAsync(webGl: true);
        string uploadId = await RehearsalJobTests.UploadAbdomenAsync(host.Service);
        HttpClient keyed = host.Service.KeyedClient();
        string planId = await PlanClient.SubmitAsync(keyed, new { uploadId, protocol = "liver-tumor", beams = 5, histories = 1_000_000, beamletHistories = 1000 });
        (JsonElement plan, _) = await PlanClient.WaitAsync(keyed, planId, TimeSpan.FromMinutes(10));
        Assert.True(plan.GetProperty("status").GetString() == "succeeded", plan.ToString());
        HttpClient surgeon = host.Service.UserClient("sabine", Role.Surgeon);
        string id = await RehearsalJobTests.SubmitAsync(surgeon, new { uploadId, planId, target = "Tumor", avoid = PortalVein, candidates = 4, resolutionMm = 14.0, speedMmPerS = 60.0 });
        (JsonElement done, _) = await RehearsalJobTests.WaitAsync(surgeon, id, TimeSpan.FromMinutes(8));
        Assert.True(done.GetProperty("status").GetString() == "succeeded", done.ToString());

        await using IBrowserContext context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        await context.AddInitScriptAsync(ContentSecurityPolicyTests.Listener);
        IPage page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text + " @ " + m.Location); };
        await page.GotoAsync($"{host.BaseUrl}/scene.html?id={id}");
        await page.FillAsync("#api-key", ServiceFactory.Key);
        await page.ClickAsync("#key-form button");
        try
        {
            await page.WaitForFunctionAsync("() => window.metaiScene?.ready && window.metaiScene.frames() > 3", null, new() { Timeout = 60_000 });
            await page.WaitForFunctionAsync("() => { const p = Object.values(window.metaiScene.ctPlanes()); return p.length === 3 && p.every(x => x.index >= 0 && x.index === x.wanted); }", null, new() { Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The scene did not render: {await page.TextContentAsync("#error")} {string.Join("; ", consoleErrors)}", e);
        }

        consoleErrors.RemoveAll(e => e.Contains("401 (Unauthorized)", StringComparison.Ordinal)); // before the key was entered
        string[] names = await page.EvaluateAsync<string[]>("() => window.metaiScene.objectNames()");
        Assert.Contains("isodose:95", names);
        Assert.Contains("isodose:50", names);
        Assert.Contains("roi:Tumor", names);
        string info = (await page.TextContentAsync("#plan-info"))!;
        Assert.Contains($"Plan {planId}: 45.0 Gy to Tumor", info, StringComparison.Ordinal);
        Assert.Contains("95 % (42.8 Gy)", info, StringComparison.Ordinal);

        // The isodoses are drawn: with the tissue surfaces switched off (they hide the inside), switching the isodoses off
        // through their own switches changes the canvas.
        await page.EvaluateAsync("() => document.querySelectorAll('#layers input[data-name^=\"tissue:\"]').forEach(c => c.click())");
        JsonElement with = await page.EvaluateAsync<JsonElement>("() => window.metaiScene.pixelStats()");
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("web-scene-plan.png") });
        await page.EvaluateAsync("() => document.querySelectorAll('#layers input[data-name^=\"isodose:\"]').forEach(c => c.click())");
        JsonElement without = await page.EvaluateAsync<JsonElement>("() => window.metaiScene.pixelStats()");
        Assert.NotEqual(with.GetProperty("sum").GetDouble(), without.GetProperty("sum").GetDouble());

        string[] violations = await page.EvaluateAsync<string[]>("() => window.metaiCspViolations");
        Assert.True(violations.Length == 0, string.Join("\n", violations));
        Assert.True(consoleErrors.Count == 0, string.Join("\n", consoleErrors));
    }
}
