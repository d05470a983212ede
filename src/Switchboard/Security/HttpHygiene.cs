using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.Security;

/// <summary>
/// What every request goes through first: forwarded headers from trusted proxies only, then the security headers.
/// See docs/security.md.
/// </summary>
internal static class HttpHygiene
{
    public static IServiceCollection AddHttpHygiene(this IServiceCollection services)
    {
        services.AddSingleton<SecurityHeaders>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SwitchboardOptions>>((forwarded, options) =>
        {
            var trusted = options.Value.Network.ForwardedHeaders;
            // Host is not forwarded: nothing here builds URLs from it, and a forged one would only mislead logs.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here only what the operator lists is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list may still hold the loopback default the middleware reads
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in trusted.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in trusted.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        // A query or route value that does not bind (?charges=x) throws BadHttpRequestException, which the error
        // middleware answers in the error shape with the binder's message, instead of a bare 400.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseHttpHygiene(this WebApplication app)
    {
        // The forwarded-headers middleware trusts every sender when both lists are empty, so with nothing
        // configured it is not added at all: then X-Forwarded-* are ignored from everyone.
        if (app.Services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Network.ForwardedHeaders.IsConfigured)
        {
            app.UseForwardedHeaders();
        }
        app.UseMiddleware<SecurityHeadersMiddleware>();
        return app;
    }
}
