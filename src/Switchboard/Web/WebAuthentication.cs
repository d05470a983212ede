using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Switchboard.Api;
using Switchboard.Security;

namespace Switchboard.Web;

internal static class WebAuthentication
{
    public const string CsrfHeader = "X-CSRF-Token";

    public static readonly ApiError Forgery = new(StatusCodes.Status403Forbidden,
        $"Missing or stale anti-forgery token: the web app sends it as {CsrfHeader}. Reload the page and try again.",
        new ErrorMetadata { ErrorType = "permission_denied" });

    /// <summary>
    /// Sessions and anti-forgery tokens are protected by data-protection keys kept in the database
    /// (<see cref="DatabaseXmlRepository"/>), so every replica on one database reads the same ring and a restart signs
    /// no one out. The keys are encrypted at rest when an encryption key or a certificate is configured
    /// (<see cref="KeyRingEncryption"/>).
    /// </summary>
    public static IServiceCollection AddWebAuthentication(this IServiceCollection services)
    {
        // Before AddDataProtection: hosted services start in order, and data protection's own loads the ring at start.
        services.AddHostedService<KeyRingStartup>();
        services.AddHostedService<KeyRingWatch>();
        services.AddSingleton<KeyRingHealth>();
        services.AddSingleton<LegacyKeyRingImport>();
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddDataProtection().SetApplicationName("Switchboard");
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseXmlRepository>((keys, repository) => keys.XmlRepository = repository);
        services.AddKeyRingEncryption();
        services.AddAntiforgery(options =>
        {
            options.HeaderName = CsrfHeader;
            options.Cookie.Name = "sb_csrf";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<WebSession>();
        services.AddSingleton<WebPlaygroundKeys>();
        services.AddSingleton<SignInThrottle>();
        return services;
    }
}
