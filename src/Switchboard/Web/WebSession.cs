using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.Data;

namespace Switchboard.Web;

/// <summary>
/// The web app's sign-in: a server-side session (<see cref="WebSessionRecord"/>, a row in the store) named by a random
/// id in an encrypted, authenticated cookie. A request carrying it is treated as the session's management key, with
/// that key's checks on every request, so disabling or deleting the key ends the session at once; signing out deletes
/// the row, which ends it at once on every replica, since each request looks the row up in the shared store.
/// HttpOnly and SameSite=Strict; Secure over HTTPS (behind a trusted proxy too: <see cref="Security.HttpHygiene"/>).
/// </summary>
internal sealed class WebSession(IDataProtectionProvider protection, IOptions<SwitchboardOptions> options, SwitchboardStore store, TimeProvider time)
{
    public const string CookieName = "sb_session";
    private const int IdBytes = 32;

    // v2: the cookie names a stored session. v1 cookies (a key hash and an expiry, nothing stored) no longer unprotect.
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.Web.Session.v2");
    private readonly TimeSpan _lifetime = options.Value.Web.SessionLifetime;

    public async Task StartAsync(HttpContext context, string keyHash)
    {
        var now = time.GetUtcNow();
        var expires = now + _lifetime;
        var payload = new byte[8 + IdBytes];
        BinaryPrimitives.WriteInt64BigEndian(payload, expires.ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(payload.AsSpan(8));
        var session = new WebSessionRecord { Id = IdHash(payload.AsSpan(8)), KeyHash = keyHash, CreatedAt = now.UtcDateTime, ExpiresAt = expires.UtcDateTime };
        await store.WriteAsync(async db =>
        {
            // Each sign-in sweeps out sessions that ran out on their own, so the table holds about the live ones.
            await db.WebSessions.Where(s => s.ExpiresAt <= session.CreatedAt).ExecuteDeleteAsync(context.RequestAborted);
            db.WebSessions.Add(session);
            return await db.SaveChangesAsync(context.RequestAborted);
        }, context.RequestAborted);
        context.Response.Cookies.Append(CookieName, Base64Url.EncodeToString(_protector.Protect(payload)), Cookie(context, expires));
    }

    /// <summary>Deletes the request's session from the store, if it has one, and the cookie from the browser.</summary>
    public async Task EndAsync(HttpContext context)
    {
        if (Read(context) is { } id)
        {
            // Not cancelled with the request: a sign-out the client gave up waiting for must still take effect.
            await store.WriteAsync(db => db.WebSessions.Where(s => s.Id == id).ExecuteDeleteAsync(), CancellationToken.None);
        }
        context.Response.Cookies.Delete(CookieName, Cookie(context, expires: null));
    }

    /// <summary>The hash of the key the request's session acts as; null without a live session.</summary>
    /// <remarks>
    /// One indexed read per request that carries the cookie (the web app's, never a bearer key's): not cached, so a
    /// sign-out anywhere in the fleet counts on the next request everywhere.
    /// </remarks>
    public async ValueTask<string?> KeyHashAsync(HttpContext context)
    {
        if (Read(context) is not { } id)
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = store.Read();
        return await db.WebSessions.Where(s => s.Id == id && s.ExpiresAt > now).Select(s => s.KeyHash).FirstOrDefaultAsync(context.RequestAborted);
    }

    /// <summary>The stored id of the cookie's session; null without a readable, unexpired cookie.</summary>
    private string? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var payload = _protector.Unprotect(Base64Url.DecodeFromChars(value));
            if (payload.Length != 8 + IdBytes
                || DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload)) <= time.GetUtcNow())
            {
                return null;
            }
            return IdHash(payload.AsSpan(8));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return null; // tampered with, from another installation, or its keys are gone: not signed in
        }
    }

    /// <summary>Only the hash is stored, so a copy of the store names no session a cookie could be made from.</summary>
    private static string IdHash(ReadOnlySpan<byte> id) => Convert.ToHexStringLower(SHA256.HashData(id));

    private static CookieOptions Cookie(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
