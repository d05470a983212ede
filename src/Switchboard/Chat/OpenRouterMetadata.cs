using Switchboard.Requests;

namespace Switchboard.Chat;

/// <summary>
/// Routing metadata a client opts into with <c>X-OpenRouter-Metadata: enabled</c>: the model it asked for, how
/// the request was routed, and every attempt with its outcome.
/// </summary>
internal sealed record OpenRouterMetadata(string Requested, string Strategy, int Attempt, IReadOnlyList<Api.AttemptSummary> Attempts);
