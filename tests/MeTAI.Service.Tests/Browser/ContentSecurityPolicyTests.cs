using System.IO.Compression;
using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;
using MeTAI.Service.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeTAI.Service.Tests.Browser;

/// <summary>
/// Every page under the service's Content-Security-Policy (no <c>'unsafe-inline'</c> for scripts or styles) in
/// Debian's Chromium: sign-in, the plans list, the new-plan and upload forms (an upload made through the form), the
/// plan view with its DVH, dose view, second check and gamma map, the admin's and the engineer's views and the
/// controller page — each raises no <c>securitypolicyviolation</c> event. A style attribute put into the page on
/// purpose does raise one, so the listener is seen to work.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public class ContentSecurityPolicyTests
{
    // Runs before any script of each page: every violation, with the directive and where it came from.
    internal const string Listener = """
        window.metaiCspViolations = [];
        document.addEventListener("securitypolicyviolation", (e) =>
          window.metaiCspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
        """;

    private readonly List<string> _violations = [];

    [Fact]
    public async Task EveryPage_RaisesNoSecurityPolicyViolation()
    {
        // The second check at 200 000 histories, not the default 10⁷: this test needs its figures and gamma map on the
        // page, not its agreement (PlanApprovalTests checks that at the default).
        await using BrowserHost host = await BrowserHost.StartAsync(new Dictionary<string, string?>
        {
            ["Controller:Mode"] = "sim",
            ["Service:SecondCheckHistories"] = "200000",
        });
        Assert.DoesNotContain("unsafe-inline", MeTAI.Service.Hosting.TransportSecurity.ContentSecurityPolicy, StringComparison.Ordinal);
        UserStore users = host.Service.Services.GetRequiredService<UserStore>();
        foreach ((string name, Role role) in new[] { ("dina", Role.Dosimetrist), ("phil", Role.Physician), ("boss", Role.Admin), ("eng", Role.Engineer) })
        {
            users.Add(name, role);
            users.SetPassword(name, name + "-long-passphrase");
        }

        // A real quick plan with a finished second check, so the plan view shows everything it can.
        HttpClient planner = host.Service.KeyedClient();
        string plan = await PlanClient.SubmitAsync(planner, PlanClient.QuickPlan(beams: 2));
        Assert.Equal("succeeded", (await PlanClient.WaitAsync(planner, plan, TimeSpan.FromMinutes(3))).Plan.GetProperty("status").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await planner.PostAsync($"/api/plans/{plan}/second-check", null)).StatusCode);
        JsonElement check = await Plans.SecondCheckTests.WaitForCheckAsync(planner, plan, TimeSpan.FromMinutes(3));
        Assert.Equal("succeeded", check.GetProperty("status").GetString());

        // Signed out: the sign-in form.
        await using IBrowserContext anonymousContext = await NewContext(host);
        IPage anonymous = await anonymousContext.NewPageAsync();
        await anonymous.GotoAsync(host.BaseUrl + "/");
        await anonymous.WaitForSelectorAsync("#signin-form:not([hidden])");
        await anonymous.WaitForSelectorAsync("#error:not([hidden])");
        await Collect(anonymous, "sign-in");

        // The listener works: a style attribute in markup is blocked and reported.
        await anonymous.EvaluateAsync("() => document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">inline</p>')");
        await anonymous.WaitForFunctionAsync("() => window.metaiCspViolations.some(v => v.startsWith('style-src'))");
        await anonymous.EvaluateAsync("() => { window.metaiCspViolations = []; }");

        // The dosimetrist: plans list, new-plan form, an upload through the form, the plan view with everything on it.
        await using IBrowserContext dinaContext = await NewContext(host);
        IPage dina = await SignedIn(dinaContext, host, "dina");
        await dina.WaitForSelectorAsync($"#plans a[href*='{plan}']");
        await dina.WaitForSelectorAsync("#case option[value='case:tg119-cshape']", new() { State = WaitForSelectorState.Attached });
        await dina.SetInputFilesAsync("#upload-file", CaseZip());
        await dina.FillAsync("#upload-name", "csp-case");
        await dina.ClickAsync("#upload-form button[type=submit]");
        await dina.WaitForFunctionAsync("() => document.getElementById('case').value.startsWith('upload:')", null, new() { Timeout = 60_000 });
        await Collect(dina, "plans, new plan and uploads");
        await dina.GotoAsync($"{host.BaseUrl}/plan.html?id={plan}");
        await dina.WaitForSelectorAsync("#dose[data-slice]", new() { State = WaitForSelectorState.Attached });
        await dina.WaitForFunctionAsync("() => window.metaiDvhChart && document.querySelectorAll('#structure-legend span').length > 0");
        await dina.WaitForSelectorAsync("#check-figures:not([hidden])");
        await dina.WaitForFunctionAsync("() => document.getElementById('check-plot').naturalWidth > 0");
        Assert.NotEqual("", await dina.EvaluateAsync<string>("() => document.querySelector('#isodose-legend span').style.getPropertyValue('--c')"));
        await Collect(dina, "plan view");

        // The physician's plan view (review and approval buttons).
        await using IBrowserContext philContext = await NewContext(host);
        IPage phil = await SignedIn(philContext, host, "phil");
        await phil.GotoAsync($"{host.BaseUrl}/plan.html?id={plan}");
        await phil.WaitForSelectorAsync("#review:not([hidden])");
        await phil.WaitForSelectorAsync("#check-figures:not([hidden])");
        await Collect(phil, "plan view (physician)");

        // The admin (users and audit are API-only; the admin sees the header, the controller link and no patient data).
        await using IBrowserContext bossContext = await NewContext(host);
        IPage boss = await SignedIn(bossContext, host, "boss");
        await Collect(boss, "admin");

        // The engineer on the controller page: live state, interlocks, the latency chart.
        await using IBrowserContext engContext = await NewContext(host);
        IPage eng = await SignedIn(engContext, host, "eng");
        await eng.GotoAsync(host.BaseUrl + "/controller.html");
        await eng.WaitForSelectorAsync(".state.current", new() { Timeout = 40_000 });
        await eng.WaitForFunctionAsync("() => window.metaiLatencyChart && window.metaiLatencyChart.data.datasets[0].data.length >= 5", null, new() { Timeout = 30_000 });
        await Collect(eng, "controller");

        Assert.True(_violations.Count == 0, string.Join("\n", _violations));
    }

    private static async Task<IBrowserContext> NewContext(BrowserHost host)
    {
        IBrowserContext context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 1000 } });
        context.SetDefaultTimeout(60_000);
        await context.AddInitScriptAsync(Listener);
        return context;
    }

    private static async Task<IPage> SignedIn(IBrowserContext context, BrowserHost host, string name)
    {
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/");
        await page.FillAsync("#signin-name", name);
        await page.FillAsync("#signin-password", name + "-long-passphrase");
        await page.ClickAsync("#signin-form button");
        await page.WaitForSelectorAsync("#account:not([hidden])");
        return page;
    }

    private async Task Collect(IPage page, string what)
    {
        // Let late work (charts, images, the event stream) run before reading the list.
        await page.WaitForTimeoutAsync(500);
        string[] found = await page.EvaluateAsync<string[]>("() => window.metaiCspViolations");
        _violations.AddRange(found.Select(v => $"{what} ({page.Url}): {v}"));
    }

    /// <summary>The C-shape phantom at 10 mm (ct/ + rtstruct.dcm) zipped, as a department would upload a case.</summary>
    private static string CaseZip()
    {
        string dir = ServiceFactory.NewDataDirectory();
        string caseDir = Path.Combine(dir, "case");
        RtPhantom.Write(PhantomLibrary.Build("tg119-cshape", 10), caseDir);
        string zip = Path.Combine(dir, "case.zip");
        ZipFile.CreateFromDirectory(caseDir, zip);
        return zip;
    }
}
