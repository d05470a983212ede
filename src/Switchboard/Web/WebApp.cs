using Switchboard.Compare;
using Switchboard.Settings;

namespace Switchboard.Web;

/// <summary>
/// The web app at <c>/</c>: one page (<c>index.html</c>) that renders every screen in the browser from the same
/// JSON API the SDKs use, signed in with a session cookie instead of a bearer key.
/// </summary>
internal static class WebApp
{
    /// <summary>The app's screens: each serves <c>index.html</c>, which shows the screen named by the path.</summary>
    private static readonly string[] Pages =
        ["/", "/sign-in", "/models", "/models/{**model}", "/keys", "/credits", "/providers", "/playground", "/compare", "/activity", "/settings"];

    /// <summary>
    /// Scripts and styles come only from the gateway itself; nothing is inlined, framed or sent elsewhere, so text from
    /// a model or a user can never run as code even if it slipped past the app's escaping.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddWebApp(this IServiceCollection services)
    {
        services.AddSingleton<WebAssets>();
        services.AddWebAuthentication();
        return services;
    }

    public static WebApplication MapWebApp(this WebApplication app)
    {
        app.MapWebSession();
        app.MapWebCatalog();
        app.MapWebProviders();
        app.MapCompareVotes();
        app.MapWebActivity();
        app.MapWebLedger();
        app.MapSettings();
        app.MapProviderKeys();
        app.MapWebAlerts();
        foreach (var page in Pages)
        {
            app.MapMethods(page, [HttpMethods.Get, HttpMethods.Head], IndexAsync).ExcludeFromDescription();
        }
        app.MapMethods("/assets/{**path}", [HttpMethods.Get, HttpMethods.Head], (HttpContext context, WebAssets assets, string path) =>
            assets.TryGet(path, out var asset) ? WebAssets.WriteAsync(context, asset) : NotFound(context));
        return app;
    }

    private static Task IndexAsync(HttpContext context, WebAssets assets)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        return assets.TryGet("index.html", out var index) ? WebAssets.WriteAsync(context, index) : NotFound(context);
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
