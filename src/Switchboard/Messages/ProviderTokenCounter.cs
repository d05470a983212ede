using System.Net;
using Microsoft.Extensions.Options;
using Switchboard.Catalog;
using Switchboard.Configuration;
using Switchboard.Health;
using Switchboard.Infrastructure;
using Switchboard.Lifecycle;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Routing;

namespace Switchboard.Messages;

/// <summary>
/// The provider's own answer to <c>count_tokens</c>, for a model a Claude endpoint serves: its tokenizer is not one
/// the gateway has (it counts up to about 1.6× more than o200k for the same text). One endpoint is asked, the first
/// of the request's route (so <c>provider.only</c>, <c>ignore</c>, <c>order</c> and the account's data policy hold)
/// that speaks the Messages API, is configured and whose circuit is not open. The count is a convenience with a
/// fallback, so any failure is a null, never an error, and never counts against the endpoint's health.
/// </summary>
internal sealed partial class ProviderTokenCounter(
    RoutePlanner planner,
    EndpointHealthRegistry health,
    GenerationDrain drain,
    IOptions<SwitchboardOptions> options,
    ILogger<ProviderTokenCounter> logger)
{
    private const int MaxResponseBytes = 64 * 1024;

    /// <summary>
    /// A count takes Anthropic well under a second; a slow one is not worth more than this wait, since the tokenizer's
    /// count is at hand.
    /// </summary>
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(Math.Min(30, options.Value.Timeouts.NonStreamingResponse.TotalSeconds));

    /// <param name="model">The request's first model: only its endpoints count it.</param>
    /// <returns>The provider's count, or null when no endpoint could be asked or none answered with a count.</returns>
    public async Task<long?> CountAsync(
        ChatRequest request, CatalogModel model, ProviderSet providers, MessagesIngress ingress, CancellationToken aborted)
    {
        if (Choose(request, model, providers) is not var (endpoint, provider, passthrough))
        {
            return null;
        }

        using var upstream = passthrough.CreateCountTokensRequest(ingress, endpoint, provider);
        upstream.Message.Version = provider.HttpVersion;
        upstream.Message.VersionPolicy = provider.HttpVersionPolicy;
        UpstreamHeaders.Accept(upstream.Message, stream: false);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(aborted, drain.Deadline);
        cancellation.CancelAfter(_timeout);
        try
        {
            using var response = await provider.Http.SendAsync(upstream.Message, cancellation.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Log.NoCount(logger, provider.Info.Slug, model.Id, $"status {(int)response.StatusCode}");
                return null;
            }
            using var body = new PooledBufferWriter(256);
            if (!await UpstreamBody.ReadAsync(response, body, MaxResponseBytes, cancellation.Token)
                || passthrough.ReadTokenCount(body.WrittenSpan) is not { } count)
            {
                Log.NoCount(logger, provider.Info.Slug, model.Id, "an answer without a count");
                return null;
            }
            Log.Counted(logger, provider.Info.Slug, model.Id);
            return count;
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            Log.NoCount(logger, provider.Info.Slug, model.Id, drain.Deadline.IsCancellationRequested ? "shutting down" : $"no answer within {_timeout.TotalSeconds:0.###} s");
            return null;
        }
        catch (HttpRequestException ex)
        {
            Log.NoCount(logger, provider.Info.Slug, model.Id, $"unreachable ({ex.HttpRequestError})");
            return null;
        }
        catch (IOException)
        {
            Log.NoCount(logger, provider.Info.Slug, model.Id, "the connection broke");
            return null;
        }
    }

    private (CatalogEndpoint, ProviderRuntime, IMessagesPassthrough)? Choose(ChatRequest request, CatalogModel model, ProviderSet providers)
    {
        // The plan's order is the generation's: a count asks the endpoint the same request would most likely reach.
        if (!planner.TryPlan(request, providers, out var plan, out _))
        {
            return null;
        }
        foreach (var route in plan)
        {
            var provider = providers[route.Endpoint.Provider];
            if (string.Equals(route.Endpoint.Model.Id, model.Id, StringComparison.Ordinal)
                && provider.Adapter is IMessagesPassthrough passthrough
                && provider.IsConfigured
                && health.Availability(route.Endpoint) != EndpointAvailability.Open)
            {
                return (route.Endpoint, provider, passthrough);
            }
        }
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "count_tokens for {Model} counted by {Provider}.")]
        public static partial void Counted(ILogger logger, string provider, string model);

        [LoggerMessage(2, LogLevel.Information, "count_tokens for {Model}: {Provider} gave no count ({Reason}); the tokenizer's count answered.")]
        public static partial void NoCount(ILogger logger, string provider, string model, string reason);
    }
}
