using Switchboard.Health;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Routing;

namespace Switchboard.Chat;

/// <summary>
/// Everything one attempt needs: the request, where it goes, how the response must be stamped, where usage goes,
/// the settlement a completed response commits before its last bytes, and the drain deadline that ends it at a stop.
/// </summary>
internal sealed record AttemptContext(
    HttpContext Http,
    ChatRequest Request,
    RouteAttempt Route,
    ProviderRuntime Provider,
    EndpointHealth Health,
    ResponseIdentity Identity,
    GenerationAttempts Attempts,
    GenerationMeter Meter,
    ICompletionCommit Settlement,
    bool WantsMetadata,
    CancellationToken DrainDeadline)
{
    /// <summary>
    /// Set when a Messages API request meets a Claude endpoint: the client's body goes as sent, and the provider's
    /// response comes back as it was, restamped, instead of through the internal chat form.
    /// </summary>
    public IMessagesPassthrough? Passthrough => Request.Messages is not null ? Provider.Adapter as IMessagesPassthrough : null;

    public CancellationToken ClientAborted => Http.RequestAborted;

    public static int? RetryAfterSeconds(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => (int)Math.Ceiling(delta.TotalSeconds),
            { Date: { } date } => Math.Max(0, (int)Math.Ceiling((date - DateTimeOffset.UtcNow).TotalSeconds)),
            _ => null,
        };
}
