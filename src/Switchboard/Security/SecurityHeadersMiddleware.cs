using System.Globalization;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.Security;

/// <summary>
/// Headers every answer carries: <c>X-Content-Type-Options: nosniff</c> (so no browser runs a model's JSON or a CSV
/// export as HTML or script), <c>Strict-Transport-Security</c> over HTTPS, and <c>Cache-Control: no-store</c> where
/// the endpoint says it carries a secret (<see cref="SecretResponseMetadata"/>). Set before the endpoint runs, and
/// again by <see cref="Api.ApiErrorMiddleware"/> when it clears a failed response, so errors carry them too.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, SecurityHeaders headers)
{
    public Task InvokeAsync(HttpContext context)
    {
        headers.Apply(context);
        return next(context);
    }
}

/// <summary>The values <see cref="SecurityHeadersMiddleware"/> sets, computed once from the options.</summary>
internal sealed class SecurityHeaders(IOptions<SwitchboardOptions> options)
{
    private readonly string? _hsts = Hsts(options.Value.Network);

    public void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (_hsts is not null && context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = _hsts;
        }
        if (context.GetEndpoint()?.Metadata.GetMetadata<SecretResponseMetadata>() is not null)
        {
            // As the headers go out, and only if nothing else set them: anti-forgery sets "no-cache, no-store" itself
            // when it issues a token, and logs a warning about any Cache-Control it finds already set.
            context.Response.OnStarting(NoStore, context);
        }
    }

    private static readonly Func<object, Task> NoStore = static state =>
    {
        var headers = ((HttpContext)state).Response.Headers;
        if (Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(headers.CacheControl))
        {
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
        }
        return Task.CompletedTask;
    };

    private static string? Hsts(NetworkOptions network) => network.HstsMaxAge <= TimeSpan.Zero
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"max-age={(long)network.HstsMaxAge.TotalSeconds}{(network.HstsIncludeSubDomains ? "; includeSubDomains" : "")}");
}
