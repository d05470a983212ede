using Switchboard.Catalog;

namespace Switchboard.Providers;

internal static class OutputLimit
{
    /// <summary>
    /// Output tokens one choice may reach: the limit sent, else the endpoint's own maximum output, else its whole
    /// context (output can never exceed it). Routing has already dropped endpoints whose maximum is below the limit.
    /// </summary>
    public static long PerChoice(int? sent, CatalogEndpoint endpoint) =>
        sent ?? endpoint.MaxCompletionTokens ?? endpoint.ContextBound;
}
