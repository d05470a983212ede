using Switchboard.Catalog;

namespace Switchboard.Billing;

/// <summary>
/// The input tokens an embeddings request can cost on one endpoint, for its hold. Each input is bounded by itself,
/// not the request by the context: every input is embedded on its own, up to the model's input limit (providers
/// refuse a longer one, or Gemini truncates it), so the request's bound is the sum over its inputs of the smaller of
/// its bound (text bytes, or token ids) plus the special tokens a model may add, and the endpoint's context length.
/// </summary>
internal static class EmbeddingInputBound
{
    /// <summary>Tokens a model may add around each input (BERT-style <c>[CLS]</c>/<c>[SEP]</c>, an end-of-text token).</summary>
    public const int SpecialTokens = 2;

    public static long Tokens(IReadOnlyList<long> inputBounds, CatalogEndpoint endpoint)
    {
        var context = endpoint.ContextBound;
        long total = 0;
        for (var i = 0; i < inputBounds.Count; i++)
        {
            total += Math.Min(inputBounds[i] + SpecialTokens, context);
        }
        return total;
    }
}
