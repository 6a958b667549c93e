using MeTAI.Service.Tests.Users;
using MeTAI.Service.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeTAI.Service.Tests.Browser;

/// <summary>
/// Two people sign in through the pages' own form (Debian's Chromium through Playwright) and each sees what their role
/// may do: a dosimetrist the new-plan and upload forms but no approval buttons, a physician the approval buttons but
/// no forms, an engineer neither plans nor uploads; under the service's Content-Security-Policy, with no console errors.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public class RoleInterfaceTests
{
    [Fact]
    public async Task TwoUsers_SignIn_AndSeeWhatTheirRolesAllow()
    {
        await using BrowserHost host = await BrowserHost.StartAsync();
        UserStore users = host.Service.Services.GetRequiredService<UserStore>();
        string oneTime = users.Add("dina", Role.Dosimetrist);
        users.Add("phil", Role.Physician);
        users.SetPassword("phil", "phil-long-passphrase");
        users.Add("eng", Role.Engineer);
        users.SetPassword("eng", "eng-long-passphrase");
        string plan = RoleBoundaryTests.FinishedPlan(host.Service);

        // The dosimetrist's first sign-in: the one-time password asks for a new one in the same form.
        await using IBrowserContext dinaContext = await host.Browser.NewContextAsync();
        IPage dina = await Open(dinaContext, host.BaseUrl + "/");
        await SignIn(dina, "dina", oneTime);
        await dina.WaitForSelectorAsync("#signin-new:not([hidden])");
        await dina.FillAsync("#signin-new", "dina-long-passphrase");
        await dina.ClickAsync("#signin-form button");
        await dina.WaitForSelectorAsync("#account:not([hidden])");
        Assert.Equal("dina (dosimetrist)", await dina.TextContentAsync("#account-name"));
        Assert.True(await dina.IsVisibleAsync("#plan-form"));
        Assert.True(await dina.IsVisibleAsync("#upload-form"));
        await dina.WaitForSelectorAsync($"#plans a[href*='{plan}']");
        await dina.GotoAsync($"{host.BaseUrl}/plan.html?id={plan}");
        await dina.WaitForSelectorAsync("#approval-panel:not([hidden])");
        Assert.Equal("draft", await dina.TextContentAsync("#approval"));
        Assert.False(await dina.IsVisibleAsync("#approve"));

        // The physician, in another browser context at the same time: approval buttons, no forms.
        await using IBrowserContext philContext = await host.Browser.NewContextAsync();
        IPage phil = await Open(philContext, host.BaseUrl + "/");
        await SignIn(phil, "phil", "phil-long-passphrase");
        await phil.WaitForSelectorAsync("#account:not([hidden])");
        Assert.Equal("phil (physician)", await phil.TextContentAsync("#account-name"));
        Assert.False(await phil.IsVisibleAsync("#plan-form"));
        Assert.False(await phil.IsVisibleAsync("#upload-form"));
        await phil.GotoAsync($"{host.BaseUrl}/plan.html?id={plan}");
        await phil.WaitForSelectorAsync("#approval-panel:not([hidden])");
        Assert.True(await phil.IsVisibleAsync("#review"));
        await phil.ClickAsync("#review");
        await phil.WaitForFunctionAsync("() => document.getElementById('approval').textContent === 'reviewed'");
        Assert.Contains("Reviewed by phil", await phil.TextContentAsync("#approval-detail"), StringComparison.Ordinal);

        // An engineer sees no patient data at all.
        await using IBrowserContext engContext = await host.Browser.NewContextAsync();
        IPage eng = await Open(engContext, host.BaseUrl + "/");
        await SignIn(eng, "eng", "eng-long-passphrase");
        await eng.WaitForSelectorAsync("#account:not([hidden])");
        Assert.False(await eng.IsVisibleAsync("#plans"));
        Assert.False(await eng.IsVisibleAsync("#plan-form"));

        // Signing out ends the session: the dosimetrist's page asks to sign in again.
        await dina.GotoAsync(host.BaseUrl + "/");
        await dina.WaitForSelectorAsync("#account:not([hidden])");
        await dina.ClickAsync("#signout");
        await dina.WaitForSelectorAsync("#signin-form:not([hidden])");
        Assert.True(_errors.Count == 0, string.Join("\n", _errors));
    }

    private readonly List<string> _errors = [];

    private async Task<IPage> Open(IBrowserContext context, string url)
    {
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        page.Console += (_, m) =>
        {
            // 401/403/404 answers are logged by the browser as failed loads; a CSP violation or script error is not allowed.
            if (m.Type == "error" && !m.Text.Contains("status of 40", StringComparison.Ordinal))
            {
                lock (_errors)
                {
                    _errors.Add(m.Text);
                }
            }
        };
        await page.GotoAsync(url);
        return page;
    }

    private static async Task SignIn(IPage page, string name, string password)
    {
        await page.FillAsync("#signin-name", name);
        await page.FillAsync("#signin-password", password);
        await page.ClickAsync("#signin-form button");
    }
}
