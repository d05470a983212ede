using Switchboard.Routing;

namespace Switchboard.Requests;

/// <summary>A top-level property of the request body: the byte range of <c>"name": value</c>.</summary>
internal readonly record struct JsonPropertySpan(string Name, int Start, int Length);

/// <summary>The JSON output a request asks for in <c>response_format</c>.</summary>
internal enum JsonOutput
{
    None,

    /// <summary><c>json_object</c>: JSON mode.</summary>
    Object,

    /// <summary><c>json_schema</c>: structured outputs.</summary>
    Schema,
}

/// <summary>
/// What the gateway needs from a chat completion request, read once from the client's bytes.
/// The body itself is kept verbatim: OpenAI-compatible upstreams get every field we do not own, byte for byte.
/// </summary>
internal sealed class ChatRequest
{
    public required ReadOnlyMemory<byte> Body { get; init; }
    /// <summary>The top-level properties in order. Memory rather than a list: iterating its span boxes no enumerator.</summary>
    public required ReadOnlyMemory<JsonPropertySpan> Properties { get; init; }

    /// <summary>Models in the order to try them: <c>model</c>, then <c>models[]</c> without repeats.</summary>
    public required IReadOnlyList<string> Models { get; init; }
    public bool Stream { get; init; }

    /// <summary>The client asked for usage in the stream (<c>stream_options.include_usage</c> or legacy <c>usage.include</c>).</summary>
    public bool ClientWantsStreamUsage { get; init; }

    /// <summary>Other properties of the client's <c>stream_options</c>, kept when the gateway adds <c>include_usage</c>.</summary>
    public ReadOnlyMemory<JsonPropertySpan> StreamOptionsOther { get; init; }
    public ProviderPreferences Provider { get; init; } = ProviderPreferences.Default;
    /// <summary>The output limit a translation sends upstream (see <see cref="OutputLimits.Sent"/>).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The largest output limit anywhere in the body, which a verbatim upstream may obey (see <see cref="OutputLimits.Largest"/>).</summary>
    public int? LargestOutputLimit { get; init; }

    /// <summary><c>n</c>: choices to generate (the largest occurrence), 1 unless set.</summary>
    public int Choices { get; init; } = 1;

    /// <summary>Bytes of the <c>prediction</c> value: rejected prediction tokens are billed as output.</summary>
    public long PredictionBytes { get; init; }

    /// <summary>What the prompt is made of (text bytes, media parts), for the credit hold.</summary>
    public Billing.PromptShape Prompt { get; init; } = Billing.PromptShape.Empty;

    /// <summary>What the client asked of reasoning, which translations turn into thinking budgets.</summary>
    public ReasoningRequest Reasoning { get; init; }

    /// <summary>OpenRouter's unified <c>reasoning.effort</c>, translated for upstreams that only know <c>reasoning_effort</c>.</summary>
    public string? ReasoningEffort => Reasoning.Effort;

    /// <summary>The client's end-user id (<c>user</c>), kept on the generation record.</summary>
    public string? User { get; init; }

    /// <summary>Request parameters that <c>provider.require_parameters</c> checks against an endpoint's supported parameters.</summary>
    public RequestParameters Parameters { get; init; }

    /// <summary>How many tools the request declares (<c>tools</c>).</summary>
    public int Tools { get; init; }

    /// <summary>The JSON output <c>response_format</c> asks for.</summary>
    public JsonOutput JsonOutput { get; init; }

    /// <summary>The <c>auto-router</c> plugin's restrictions for <c>openrouter/auto</c>, when the request has one.</summary>
    public AutoRouterPlugin? AutoRouter { get; init; }

    /// <summary>The account's data policy excludes providers that retain or train on prompts (Settings).</summary>
    public bool ExcludeDataCollectingProviders { get; init; }

    /// <summary>
    /// The calling key's rules on models and providers, null when it has none; set once, right after parsing, by the
    /// handler that authenticated the key (<see cref="KeyGovernance"/>).
    /// </summary>
    public KeyGovernance? Governance { get; set; }

    /// <summary>The API the client spoke; set once, right after parsing, with <see cref="ClientBody"/>.</summary>
    public IngressDialect Dialect { get; set; }

    /// <summary>
    /// For a request translated from another dialect: the client's own body, of which this request is the
    /// translation (what an account that stores prompts keeps). Empty for chat completions, whose body is <see cref="Body"/>.
    /// </summary>
    public ReadOnlyMemory<byte> ClientBody { get; set; }

    /// <summary>
    /// For a request that came in through the Messages API: what a Claude endpoint receives as sent. Set once, by the
    /// Messages ingress, right after parsing.
    /// </summary>
    public MessagesIngress? Messages { get; set; }

    public ReadOnlySpan<byte> PropertyBytes(JsonPropertySpan property) => Body.Span.Slice(property.Start, property.Length);

    public bool Has(string property)
    {
        foreach (var p in Properties.Span)
        {
            if (p.Name == property)
            {
                return true;
            }
        }
        return false;
    }
}
