using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Configuration;
using Switchboard.Data;
using Switchboard.Keys;
using Switchboard.Security;

namespace Switchboard.Web;

/// <summary>
/// <c>/web/session</c>: sign in with a management key (or the operator password), see who is signed in, sign out
/// (which deletes the session on the server: <see cref="WebSession"/>).
/// Inference keys cannot sign in: they call models, nothing else. Every answer carries a fresh anti-forgery token,
/// which the app sends back as <c>X-CSRF-Token</c> on every change it makes.
/// </summary>
internal static class WebSessionApi
{
    /// <summary>The admin account's key behind operator password sessions, created on first use.</summary>
    public const string OperatorKeyName = "Web app (operator password)";

    public static IEndpointRouteBuilder MapWebSession(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/web/session").CarriesSecrets(); // every answer has an anti-forgery token
        session.MapPost("/", SignInAsync);
        session.MapGet("/", CurrentAsync);
        session.MapDelete("/", SignOutAsync);
        return app;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, WebSession session, ApiKeyCache keys, AuthenticationThrottle keyThrottle, ApiKeyStore store, SwitchboardStore data,
        IOptions<SwitchboardOptions> options, SignInThrottle passwordThrottle, IAntiforgery antiforgery, TimeProvider time)
    {
        if (!context.Request.HasJsonContentType())
        {
            // A cross-site form cannot send JSON without a preflight, so no other site can sign a browser in.
            return ApiResults.Error(new ApiError(StatusCodes.Status415UnsupportedMediaType, "Sign in with a JSON body (Content-Type: application/json)."));
        }
        var (body, error) = await JsonRequestBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        var address = context.Connection.RemoteIpAddress;
        CallerKey? key;
        if (body.TryGetProperty("key", out var keyField) && keyField.ValueKind == JsonValueKind.String)
        {
            // A management key signing in counts against the same per-address throttle as one sent to the API.
            var found = keyThrottle.FindAsync(ApiKeySecret.Hash(keyField.GetString()!.Trim()), address, out var throttled, context.RequestAborted);
            if (throttled is not null)
            {
                return ApiResults.Error(throttled);
            }
            key = await found;
        }
        else if (body.TryGetProperty("password", out var passwordField) && passwordField.ValueKind == JsonValueKind.String)
        {
            var attempt = await passwordThrottle.BeginAsync(address, context.RequestAborted);
            if (attempt.RetryAfter is { } wait)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                return ApiResults.Error(new ApiError(StatusCodes.Status429TooManyRequests,
                    $"More than {SignInThrottle.FailuresPerMinute} wrong operator passwords from your address this minute; try again in {seconds} s.",
                    new ErrorMetadata { ErrorType = "rate_limit_exceeded", LimitSource = "operator_password_failures" })
                { RetryAfterSeconds = seconds });
            }
            if (!PasswordMatches(options.Value.Web.OperatorPassword, passwordField.GetString()!))
            {
                passwordThrottle.Failed(address);
                return ApiResults.Error(Refused("Wrong operator password, or no operator password is configured (Switchboard:Web:OperatorPassword)."));
            }
            await passwordThrottle.SucceededAsync(attempt, context.RequestAborted);
            key = await keys.FindAsync(await OperatorKeyHashAsync(store, data, context.RequestAborted), context.RequestAborted);
        }
        else
        {
            return ApiResults.Error(ApiError.BadRequest("Send {\"key\": \"<management key>\"} or {\"password\": \"<operator password>\"}."));
        }

        if (key?.IsUsable(time.GetUtcNow().UtcDateTime) != true)
        {
            return ApiResults.Error(Refused("Unknown, disabled or expired key."));
        }
        if (key.Kind != ApiKeyKind.Management)
        {
            return ApiResults.Error(new ApiError(StatusCodes.Status403Forbidden,
                "Inference keys cannot sign in: use a management key (create one with POST /api/v1/keys and is_management_key).",
                new ErrorMetadata { ErrorType = "permission_denied" }));
        }
        await session.StartAsync(context, key.Hash);
        return ApiResults.Json(new WebSessionEnvelope(WebSessionView.For(key, antiforgery.GetAndStoreTokens(context).RequestToken!)));
    }

    private static async Task<IResult> CurrentAsync(HttpContext context, WebSession session, ApiKeyCache keys, IAntiforgery antiforgery, TimeProvider time)
    {
        var key = await session.KeyHashAsync(context) is { } hash ? await keys.FindAsync(hash, context.RequestAborted) : null;
        if (key?.IsUsable(time.GetUtcNow().UtcDateTime) != true)
        {
            return ApiResults.Error(Refused("Not signed in."));
        }
        return ApiResults.Json(new WebSessionEnvelope(WebSessionView.For(key, antiforgery.GetAndStoreTokens(context).RequestToken!)));
    }

    /// <summary>Ends the session on the server, not only in this browser: a copy of the cookie stops working too.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, WebSession session, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return ApiResults.Error(WebAuthentication.Forgery);
        }
        await session.EndAsync(context);
        return Results.NoContent();
    }

    private static bool PasswordMatches(string? configured, string given) =>
        !string.IsNullOrEmpty(configured)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    /// <summary>
    /// The admin account's key behind password sessions: a session always names a key, so disabling this one signs
    /// every operator session out. The next password sign-in then makes a new one.
    /// </summary>
    private static async Task<string> OperatorKeyHashAsync(ApiKeyStore store, SwitchboardStore data, CancellationToken cancellationToken)
    {
        long adminAccount;
        await using (var db = data.Read())
        {
            adminAccount = await db.Accounts.Where(a => a.IsAdmin).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync(cancellationToken);
        }
        return await store.FindOrCreateNamedAsync(adminAccount, OperatorKeyName, ApiKeyKind.Management, cancellationToken);
    }

    private static ApiError Refused(string message) =>
        new(StatusCodes.Status401Unauthorized, message, new ErrorMetadata { ErrorType = "authentication" });
}

/// <summary>Who is signed in, and the token the app sends with every change.</summary>
internal sealed record WebSessionView(long AccountId, bool IsAdmin, string KeyLabel, string CsrfToken)
{
    public static WebSessionView For(CallerKey key, string csrfToken) => new(key.AccountId, key.IsAdminAccount, key.Label, csrfToken);
}

internal sealed record WebSessionEnvelope(WebSessionView Data);
