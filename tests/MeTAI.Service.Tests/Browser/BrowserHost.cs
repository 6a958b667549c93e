using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace MeTAI.Service.Tests.Browser;

/// <summary>
/// The service on a real loopback port (Kestrel inside WebApplicationFactory) and Debian's Chromium driven by
/// Playwright. No browser is downloaded: Playwright launches <c>/usr/bin/chromium</c> (the <c>chromium</c> package,
/// installed by test.sh), headless, sandbox off (CI runs as root), with its background network features off.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    /// <summary>Debian's Chromium.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage",
    ];

    private static readonly string[] WebGlArgs = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"];

    private IPlaywright? _playwright;

    private BrowserHost(ServiceFactory service, string baseUrl)
    {
        Service = service;
        BaseUrl = baseUrl;
    }

    public ServiceFactory Service { get; }

    public string BaseUrl { get; }

    public IBrowser Browser { get; private set; } = null!;

    public static async Task<BrowserHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool webGl = false)
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (./test.sh does: apt-get install chromium).");
        int port = FreePort();
        var service = new ServiceFactory(null, settings: settings);
        service.UseKestrel(port);
        service.StartServer();
        var host = new BrowserHost(service, $"http://127.0.0.1:{port}");
        host._playwright = await Playwright.CreateAsync();
        host.Browser = await host._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // WebGL (the 3D scene) without a GPU: ANGLE on SwiftShader, which Chromium now enables only when asked.
            Args = webGl ? [.. ChromiumArgs, .. WebGlArgs] : ChromiumArgs,
        });
        return host;
    }

    /// <summary>A page at <paramref name="path"/> with the API key entered in the header form.</summary>
    public async Task<IPage> OpenWithKeyAsync(string path)
    {
        IPage page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 1000 } });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(BaseUrl + path);
        await page.FillAsync("#api-key", ServiceFactory.Key);
        await page.ClickAsync("#key-form button");
        return page;
    }

    /// <summary>Where screenshots go: TestResults/screenshots under the repository root (a test artifact).</summary>
    public static string ScreenshotPath(string name)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "MeTAI.Intervention.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        string target = Path.Combine(dir ?? Path.GetTempPath(), "TestResults", "screenshots");
        Directory.CreateDirectory(target);
        return Path.Combine(target, name);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Service.DisposeAsync();
    }
}
