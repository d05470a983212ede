namespace Switchboard.Requests;

/// <summary>
/// The output limits a request sets, in every field and every occurrence: a body may carry both
/// <c>max_tokens</c> and <c>max_completion_tokens</c>, or the same key twice, and which one a provider obeys is
/// the provider's business. Translations send <see cref="Sent"/>; the credit hold must cover <see cref="Largest"/>.
/// </summary>
internal struct OutputLimits
{
    private int? _maxTokens;
    private int? _maxCompletionTokens;

    /// <summary>The largest limit anywhere in the body: what an upstream that gets the body verbatim may obey.</summary>
    public int? Largest { get; private set; }

    /// <summary>
    /// The one limit a translation sends: <c>max_completion_tokens</c>, which OpenAI defines to supersede the
    /// deprecated <c>max_tokens</c>, else <c>max_tokens</c>; of a repeated key, the last (as JSON readers take it).
    /// </summary>
    public readonly int? Sent => _maxCompletionTokens ?? _maxTokens;

    /// <summary>Counts one occurrence of <paramref name="field"/>; <c>null</c> (the JSON value) sets nothing.</summary>
    public void Add(string field, int? value)
    {
        if (value is not { } limit)
        {
            return;
        }
        if (field == "max_completion_tokens")
        {
            _maxCompletionTokens = limit;
        }
        else
        {
            _maxTokens = limit;
        }
        Largest = Math.Max(Largest ?? 0, limit);
    }
}
