using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.Web;

/// <summary>
/// The web app's sign-in: an encrypted, authenticated cookie naming the management key it was made with (by hash)
/// and when it ends. A request carrying it is treated as that key's, with that key's checks on every request, so
/// disabling or deleting the key ends the session at once. HttpOnly and SameSite=Strict; Secure over HTTPS.
/// </summary>
internal sealed class WebSession(IDataProtectionProvider protection, IOptions<SwitchboardOptions> options, TimeProvider time)
{
    public const string CookieName = "sb_session";
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.Web.Session.v1");
    private readonly TimeSpan _lifetime = options.Value.Web.SessionLifetime;

    public void Start(HttpContext context, string keyHash)
    {
        var expires = time.GetUtcNow() + _lifetime;
        var payload = new byte[8 + Encoding.ASCII.GetByteCount(keyHash)];
        BinaryPrimitives.WriteInt64BigEndian(payload, expires.ToUnixTimeSeconds());
        Encoding.ASCII.GetBytes(keyHash, payload.AsSpan(8));
        context.Response.Cookies.Append(CookieName, Base64Url.EncodeToString(_protector.Protect(payload)), Cookie(context, expires));
    }

    public static void End(HttpContext context) => context.Response.Cookies.Delete(CookieName, Cookie(context, expires: null));

    /// <summary>The hash of the key the request's session was made with; null without a valid, unexpired session.</summary>
    public string? KeyHash(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var payload = _protector.Unprotect(Base64Url.DecodeFromChars(value));
            var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload));
            return expires > time.GetUtcNow() ? Encoding.ASCII.GetString(payload.AsSpan(8)) : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return null; // tampered with, from another installation, or its keys are gone: not signed in
        }
    }

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
