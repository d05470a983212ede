using System.Text;
using System.Text.Json;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Embeddings;

/// <summary>
/// The input tokens of a provider that reports none (Gemini's embeddings): each text counted by the gateway's tokenizer
/// (o200k, as <see cref="PromptTokenCounter"/> counts prompts), or at four bytes a token when the counter is busy; each
/// input at most the endpoint's context (Gemini truncates longer ones) and at most its hold bound, so the estimate
/// never exceeds what was held. The record marks such usage as estimated.
/// </summary>
internal static class EmbeddingUsageEstimate
{
    public static async ValueTask<TokenUsage> CountAsync(EmbeddingsRequest request, CatalogEndpoint endpoint, PromptTokenCounter counter, CancellationToken cancellationToken)
    {
        var texts = new string[request.Inputs.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            var reader = new Utf8JsonReader(request.InputJson(request.Inputs[i]));
            reader.Read();
            texts[i] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : "";
        }
        var counted = await counter.CountTextsAsync(texts, cancellationToken).ConfigureAwait(false);
        long total = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            var bound = request.Inputs[i].Bound;
            var tokens = counted?[i] ?? TokenEstimator.FromBytes(bound);
            total += Math.Min(Math.Min(tokens, bound + EmbeddingInputBound.SpecialTokens), endpoint.ContextBound);
        }
        var prompt = (int)Math.Min(total, int.MaxValue);
        // OpenAI's embeddings usage has these two counts and nothing else.
        return new TokenUsage(prompt, 0, 0, 0, 0, Encoding.UTF8.GetBytes($"{{\"prompt_tokens\":{prompt},\"total_tokens\":{prompt}}}"));
    }
}
