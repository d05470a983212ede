using Microsoft.Playwright;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the whole run: Debian's <c>chromium</c> (the test command installs it when missing)
/// driven through Playwright, which never downloads a browser of its own. <c>SWITCHBOARD_CHROMIUM</c> names
/// another executable.
/// </summary>
public static class Browser
{
    private static readonly Lazy<Task<IBrowser>> Shared = new(LaunchAsync);

    /// <summary>Where page screenshots go, for a reviewer: <c>screenshots/</c> in the test output directory.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    /// <summary>A fresh browser context (its own cookies) on the gateway, at desktop size unless told otherwise.</summary>
    public static async Task<IBrowserContext> NewContextAsync(Uri gateway, ViewportSize? viewport = null, ColorScheme colorScheme = ColorScheme.Light)
    {
        var browser = await Shared.Value;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = gateway.ToString().TrimEnd('/'),
            ViewportSize = viewport ?? new ViewportSize { Width = 1360, Height = 900 },
            ColorScheme = colorScheme,
        });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = fullPage });

    private static async Task<IBrowser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("SWITCHBOARD_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException("Chromium is not installed: run ./test.sh (it installs Debian's chromium) or set SWITCHBOARD_CHROMIUM.");
        // The suite runs many gateways at once on two cores: allow pages more than Playwright's default 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // CI runs as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }
}
