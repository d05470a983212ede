namespace Switchboard.Requests;

/// <summary>
/// Endpoint metadata: the route serves generations in <see cref="Dialect"/>. A request that key authentication or a
/// key's rate limit refuses never reaches the handler, and is still one of that API's requests in the metrics.
/// </summary>
internal sealed class GenerationEndpoint(IngressDialect dialect)
{
    public IngressDialect Dialect { get; } = dialect;
}

internal static class GenerationEndpointExtensions
{
    public static TBuilder ServesGenerations<TBuilder>(this TBuilder builder, IngressDialect dialect) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new GenerationEndpoint(dialect));
}
