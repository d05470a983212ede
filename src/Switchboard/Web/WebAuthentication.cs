using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Configuration;
using Switchboard.Security;

namespace Switchboard.Web;

internal static class WebAuthentication
{
    public const string CsrfHeader = "X-CSRF-Token";

    public static readonly ApiError Forgery = new(StatusCodes.Status403Forbidden,
        $"Missing or stale anti-forgery token: the web app sends it as {CsrfHeader}. Reload the page and try again.",
        new ErrorMetadata { ErrorType = "permission_denied" });

    /// <summary>
    /// Sessions and anti-forgery tokens are protected by data-protection keys kept beside the database, so a restart
    /// does not sign everyone out. Replicas sharing a database need this directory shared as well. The keys are
    /// encrypted at rest when a certificate is configured (<see cref="KeyRingEncryption"/>).
    /// </summary>
    public static IServiceCollection AddWebAuthentication(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Switchboard");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<SwitchboardOptions>, ILoggerFactory>((keys, options, logging) =>
            keys.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(Path.GetFullPath(options.Value.Database.DataDirectory), "web-keys")), logging));
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
