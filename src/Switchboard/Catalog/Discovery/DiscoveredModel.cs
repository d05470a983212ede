namespace Switchboard.Catalog.Discovery;

/// <summary>One entry of a provider's <c>GET /models</c>: its exact name, and its context length when the server says.</summary>
internal sealed record DiscoveredModel(string UpstreamId, int? ContextLength);
