using Switchboard.Catalog;

namespace Switchboard.Routing;

/// <summary>One entry of the ordered plan: an endpoint to try, and the model id the response will name.</summary>
internal sealed record RouteAttempt(CatalogEndpoint Endpoint, string PublicModel);
