using Microsoft.AspNetCore.Antiforgery;
using Switchboard.Api;
using Switchboard.RateLimiting;
using Switchboard.Requests;
using Switchboard.Telemetry;
using Switchboard.Web;

namespace Switchboard.Keys;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (or Anthropic's <c>x-api-key: &lt;key&gt;</c>, which its SDKs
/// and Claude Code send) on endpoints with <see cref="RequireKeyAttribute"/>:
/// a missing, unknown, disabled or expired key gets 401, a key of the wrong kind 403, and an address that has sent too
/// many unknown keys this minute 429 (<see cref="AuthenticationThrottle"/>). Inference keys then pass
/// the per-key token and request rate limits, which hold for the whole fleet. The key is left on the context for the endpoint (<see cref="RequireKeyExtensions.CallerKey"/>).
/// Without the header, the web app's session cookie stands for the management key it was signed in with
/// (<see cref="WebSession"/>), and every change it makes must carry the anti-forgery token. A session calling a
/// model does so through the account's playground key (<see cref="WebPlaygroundKeys"/>).
/// </summary>
internal sealed class ApiKeyAuthenticationMiddleware(
    RequestDelegate next, ApiKeyCache keys, AuthenticationThrottle throttle, KeyRateLimiter rateLimiter, KeyTokenLimiter tokenLimiter, WebSession webSession, IAntiforgery antiforgery,
    WebPlaygroundKeys playgroundKeys, GatewayMetrics metrics, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context)
    {
        var requirement = context.GetEndpoint()?.Metadata.GetMetadata<RequireKeyAttribute>()?.Requirement;
        return requirement is null ? next(context) : Authenticate(context, requirement.Value);
    }

    /// <summary>
    /// The common request, a bearer key the cache knows, is decided without an async frame of its own: that state
    /// machine, boxed for the whole request because it awaited the endpoint, was the largest allocation of
    /// authenticating. Whatever must wait (a key the cache lacks, a session, a rate limit kept in the store) goes on
    /// in an async method.
    /// </summary>
    private Task Authenticate(HttpContext context, KeyRequirement requirement)
    {
        var arrived = time.GetTimestamp();
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0 && context.Request.Headers["x-api-key"].ToString() is { Length: > 0 } apiKey)
        {
            header = "Bearer " + apiKey;
        }
        if (header.Length == 0)
        {
            return AuthenticateSessionAsync(context, requirement, arrived);
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.AsSpan(7).Trim().IsEmpty)
        {
            return RefuseAsync(context, MissingKey, arrived);
        }
        var found = FindKeyAsync(header.AsSpan(7).Trim(), context, out var throttled);
        if (throttled is not null)
        {
            return RefuseAsync(context, throttled, arrived);
        }
        return found.IsCompletedSuccessfully
            ? Admit(context, found.Result, requirement, arrived)
            : AdmitAsync(context, found, requirement, arrived);
    }

    private async Task AdmitAsync(
        HttpContext context, ValueTask<CallerKey?> found, KeyRequirement requirement, long arrived) =>
        await Admit(context, await found, requirement, arrived);

    /// <summary>
    /// No key header: the web app's session cookie, if any, stands for the management key it was signed in with.
    /// </summary>
    private async Task AuthenticateSessionAsync(HttpContext context, KeyRequirement requirement, long arrived)
    {
        if (await webSession.KeyHashAsync(context) is not { } sessionKey)
        {
            await RefuseAsync(context, MissingKey, arrived);
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !await antiforgery.IsRequestValidAsync(context))
        {
            await RefuseAsync(context, WebAuthentication.Forgery, arrived);
            return;
        }
        var key = await keys.FindAsync(sessionKey, context.RequestAborted);
        if (requirement == KeyRequirement.Inference && key is { Kind: ApiKeyKind.Management } manager && manager.IsUsable(time.GetUtcNow().UtcDateTime))
        {
            // The playground and compare screens call models as the account, through its playground key.
            key = await playgroundKeys.KeyAsync(manager.AccountId, context.RequestAborted);
        }
        await Admit(context, key, requirement, arrived);
    }

    /// <summary>
    /// Refuses a key that is unknown, unusable, of the wrong kind or over its rate limits; otherwise runs the endpoint
    /// with it.
    /// </summary>
    private Task Admit(HttpContext context, CallerKey? key, KeyRequirement requirement, long arrived)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var refusal = key switch
        {
            null => "Invalid API key.",
            { Disabled: true } => "This API key is disabled.",
            _ when key.IsExpired(now) => "This API key has expired.",
            _ => null,
        };
        if (refusal is not null)
        {
            return RefuseAsync(context, Rejection(StatusCodes.Status401Unauthorized, refusal), arrived);
        }
        if (WrongKind(key!, requirement) is { } wrongKind)
        {
            return RefuseAsync(context, Rejection(StatusCodes.Status403Forbidden, wrongKind), arrived);
        }
        if (key!.Kind == ApiKeyKind.Inference && (rateLimiter.LimitFor(key) > 0 || tokenLimiter.LimitFor(key) > 0))
        {
            var limited = LimitedAsync(key, context.RequestAborted);
            if (!limited.IsCompletedSuccessfully)
            {
                return AdmitAfterLimitsAsync(context, key, limited, arrived);
            }
            if (limited.Result is { } over)
            {
                return RefuseLimited(context, over, arrived);
            }
        }
        context.Features.Set(key);
        return next(context);
    }

    private async Task AdmitAfterLimitsAsync(
        HttpContext context, CallerKey key, ValueTask<ApiError?> limited, long arrived)
    {
        if (await limited is { } over)
        {
            await RefuseLimited(context, over, arrived);
            return;
        }
        context.Features.Set(key);
        await next(context);
    }

    private Task RefuseLimited(HttpContext context, ApiError limited, long arrived)
    {
        metrics.RateLimited(limited.Metadata?.LimitSource == "key_tokens_per_minute" ? "key_tokens" : "key_requests");
        return RefuseAsync(context, limited, arrived);
    }

    /// <summary>
    /// The key's request and token limits, for the whole fleet; only called for a key that has one, so an unlimited
    /// key's request neither touches the store nor grows this method's state machine.
    /// </summary>
    private async ValueTask<ApiError?> LimitedAsync(CallerKey key, CancellationToken cancellationToken) =>
        await tokenLimiter.TryAcquireAsync(key, cancellationToken) ?? await rateLimiter.TryAcquireAsync(key, cancellationToken);

    private ValueTask<CallerKey?> FindKeyAsync(ReadOnlySpan<char> secret, HttpContext context, out ApiError? throttled)
    {
        Span<char> hash = stackalloc char[ApiKeySecret.HashLength];
        ApiKeySecret.WriteHash(secret, hash);
        return throttle.FindAsync(hash, context.Connection.RemoteIpAddress, out throttled, context.RequestAborted);
    }

    private static string? WrongKind(CallerKey key, KeyRequirement requirement) => requirement switch
    {
        KeyRequirement.Inference when key.Kind != ApiKeyKind.Inference =>
            "Management keys cannot call models. Use an inference key (create one with POST /api/v1/keys).",
        KeyRequirement.Management when key.Kind != ApiKeyKind.Management =>
            "This endpoint needs a management key; inference keys can only call models and read their own usage.",
        KeyRequirement.Admin when key.Kind != ApiKeyKind.Management || !key.IsAdminAccount =>
            "This endpoint needs a management key of the admin account.",
        _ => null,
    };

    private static ApiError MissingKey => Rejection(StatusCodes.Status401Unauthorized,
        "Missing API key: send 'Authorization: Bearer <key>' (or 'x-api-key: <key>').");

    private static ApiError Rejection(int status, string message) => new(status, message,
        new ErrorMetadata { ErrorType = status == StatusCodes.Status401Unauthorized ? "authentication" : "permission_denied" });

    /// <summary>Answers the refusal; on a generation route it is also one of that API's requests, with no model or provider.</summary>
    private Task RefuseAsync(HttpContext context, ApiError error, long arrived)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GenerationEndpoint>() is { } generation)
        {
            metrics.GenerationEnded(generation.Dialect, model: null, meter: null, error.Status, stream: false, arrived, key: null);
        }
        return ApiErrorWriter.WriteAsync(context.Response, error);
    }
}
