using Switchboard.Api;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Routing;

namespace Switchboard.Chat;

/// <summary>
/// Every try made for one generation, in order. Feeds error metadata, <c>openrouter_metadata</c> and the
/// generation record.
/// </summary>
internal sealed class GenerationAttempts(string requested)
{
    private readonly List<AttemptSummary> _attempts = [];
    private readonly List<string> _missingSettings = [];

    public string Requested { get; } = requested;

    public IReadOnlyList<AttemptSummary> All => _attempts;

    /// <summary>The last failure of an endpoint that was actually called, with who it was.</summary>
    public (UpstreamFailure Failure, string Provider)? LastCalledFailure { get; private set; }

    public IReadOnlyList<string> MissingSettings => _missingSettings;

    public void NotConfigured(RouteAttempt attempt, ProviderRuntime provider)
    {
        _attempts.Add(new AttemptSummary(provider.DisplayName, attempt.PublicModel, null, "not_configured", $"set {provider.MissingSetting}"));
        if (!_missingSettings.Contains(provider.MissingSetting!))
        {
            _missingSettings.Add(provider.MissingSetting!);
        }
    }

    public void Skipped(RouteAttempt attempt, ProviderRuntime provider) =>
        _attempts.Add(new AttemptSummary(provider.DisplayName, attempt.PublicModel, null, "circuit_open", null));

    public void Failed(RouteAttempt attempt, ProviderRuntime provider, UpstreamFailure failure, TimeSpan latency)
    {
        _attempts.Add(new AttemptSummary(provider.DisplayName, attempt.PublicModel, failure.Status, UpstreamErrors.Describe(failure), failure.Message, Milliseconds(latency)));
        LastCalledFailure = (failure, provider.DisplayName);
    }

    /// <summary>The client left while this endpoint was answering; the upstream request was cancelled.</summary>
    public void Cancelled(RouteAttempt attempt, ProviderRuntime provider, TimeSpan latency) =>
        _attempts.Add(new AttemptSummary(provider.DisplayName, attempt.PublicModel, null, "client_closed", null, Milliseconds(latency)));

    public void Succeeded(RouteAttempt attempt, ProviderRuntime provider, TimeSpan latency) =>
        _attempts.Add(new AttemptSummary(provider.DisplayName, attempt.PublicModel, 200, "success", null, Milliseconds(latency)));

    private static int Milliseconds(TimeSpan latency) => (int)Math.Min(latency.TotalMilliseconds, int.MaxValue);

    public OpenRouterMetadata ToMetadata() =>
        new(Requested, AutoRouter.Requests(Requested) ? "auto" : _attempts.Count > 1 ? "fallback" : "direct", _attempts.Count, _attempts);
}
