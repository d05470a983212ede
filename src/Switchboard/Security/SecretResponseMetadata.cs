namespace Switchboard.Security;

/// <summary>
/// Endpoint metadata: the response carries a secret (a new key, a session's anti-forgery token) or the request does
/// (a provider key), so no cache on the way, a browser's included, may keep it (<see cref="SecurityHeadersMiddleware"/>).
/// </summary>
internal sealed class SecretResponseMetadata
{
    public static readonly SecretResponseMetadata Instance = new();

    private SecretResponseMetadata()
    {
    }
}

internal static class SecretResponseExtensions
{
    /// <summary>Sends <c>Cache-Control: no-store</c> with every answer of the endpoint.</summary>
    public static TBuilder CarriesSecrets<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SecretResponseMetadata.Instance);
}
