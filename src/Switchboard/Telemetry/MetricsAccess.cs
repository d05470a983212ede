using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Switchboard.Alerts;
using Switchboard.Api;

namespace Switchboard.Telemetry;

/// <summary>
/// Who may read <c>GET /metrics</c>. Open by default, as Prometheus exporters are: the series hold counts, latencies
/// and USD sums per model and provider, never prompt text, keys, credentials or (unless the operator opts in) account
/// ids. An operator who would rather not publish them restricts the endpoint to a scrape token
/// (<see cref="TelemetryOptions.MetricsToken"/>), to networks (<see cref="TelemetryOptions.MetricsNetworks"/>), or both.
/// Never an API key: a scraper holds no key that can call models or manage accounts, and a scrape is never rate-limited.
/// Refusals are in the gateway's error shape.
/// </summary>
internal sealed class MetricsAccess
{
    private readonly byte[]? _tokenHash;
    private readonly AddressRange[] _networks;

    public MetricsAccess(IOptions<TelemetryOptions> options)
    {
        var settings = options.Value;
        _tokenHash = settings.MetricsToken is { Length: > 0 } token ? SHA256.HashData(Encoding.UTF8.GetBytes(token)) : null;
        _networks = [.. settings.MetricsNetworks.Select(AddressRange.Parse)];
    }

    /// <summary>Null when the caller may read the metrics; otherwise what to answer.</summary>
    public ApiError? Check(HttpContext context)
    {
        if (_networks.Length > 0 && !FromAllowedNetwork(context.Connection.RemoteIpAddress))
        {
            return new ApiError(StatusCodes.Status403Forbidden, "Metrics are not served to this address (Switchboard:Telemetry:MetricsNetworks).",
                new ErrorMetadata { ErrorType = "permission_denied" });
        }
        if (_tokenHash is not null && !HasToken(context.Request.Headers.Authorization.ToString()))
        {
            return new ApiError(StatusCodes.Status401Unauthorized, "Metrics need 'Authorization: Bearer <token>' with the scrape token (Switchboard:Telemetry:MetricsToken).",
                new ErrorMetadata { ErrorType = "authentication" });
        }
        return null;
    }

    private bool FromAllowedNetwork(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    private bool HasToken(string header)
    {
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // Hashes compared in fixed time: neither the token's length nor a matching prefix shows in the timing.
        var sent = SHA256.HashData(Encoding.UTF8.GetBytes(header.AsSpan(7).Trim().ToString()));
        return CryptographicOperations.FixedTimeEquals(sent, _tokenHash);
    }
}
