using MeTAI.Service.Tests.Hosting;
using Microsoft.Playwright;

namespace MeTAI.Service.Tests.Browser;

/// <summary>
/// The "Sign in with …" button in Chromium against <see cref="TestOpenIdProvider"/>: it appears only when a provider is
/// configured, signs the provider's user in with the mapped role (the correlation and nonce cookies travel over plain
/// loopback HTTP), and a refused sign-in comes back to the page with the reason shown.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public class OidcBrowserTests
{
    [Fact]
    public async Task SignInWithProvider_Button_SignsInWithTheMappedRole_OrShowsTheRefusal()
    {
        await using TestOpenIdProvider idp = await TestOpenIdProvider.StartAsync();
        await using BrowserHost host = await BrowserHost.StartAsync(new Dictionary<string, string?>
        {
            ["Service:Oidc:Authority"] = idp.Issuer,
            ["Service:Oidc:ClientId"] = TestOpenIdProvider.ClientId,
            ["Service:Oidc:ClientSecret"] = TestOpenIdProvider.ClientSecret,
            ["Service:Oidc:RequireHttpsMetadata"] = "false",
            ["Service:Oidc:DisplayName"] = "Test IdP",
            ["Service:Oidc:RoleMap:radonc-dosimetry"] = "dosimetrist",
        });
        idp.User = ("sub-9", "dora", ["radonc-dosimetry"]);
        IPage page = await host.Browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(host.BaseUrl + "/");
        await page.WaitForSelectorAsync("#signin-oidc");
        Assert.Equal("Sign in with Test IdP", await page.TextContentAsync("#signin-oidc"));
        await page.ClickAsync("#signin-oidc");
        await page.WaitForSelectorAsync("#account:not([hidden])");
        Assert.Equal("dora (dosimetrist)", await page.TextContentAsync("#account-name"));
        Assert.True(await page.IsVisibleAsync("#plan-form"));
        Assert.Equal(1, idp.PkceVerified);

        idp.User = ("sub-10", "walt", ["visitors"]);
        IPage refused = await (await host.Browser.NewContextAsync()).NewPageAsync();
        refused.SetDefaultTimeout(30_000);
        await refused.GotoAsync(host.BaseUrl + "/");
        await refused.ClickAsync("#signin-oidc");
        await refused.WaitForFunctionAsync("() => document.getElementById('signin-refused')?.textContent.includes('walt has no role here')");
        Assert.True(await refused.IsVisibleAsync("#signin-form"));
    }
}
