using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>Gemini's <c>usageMetadata</c> in OpenAI's terms, with thinking counted as output the way it is billed.</summary>
internal readonly record struct GeminiUsage(int PromptTokens, int CompletionTokens, int CachedTokens, int ReasoningTokens, int ImageTokens = 0)
{
    public static GeminiUsage? Read(JsonElement response)
    {
        if (!response.TryGetProperty("usageMetadata", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        // promptTokenCount already includes the cached part; toolUsePromptTokenCount (built-in tools) does not,
        // yet is billed as input: totalTokenCount = prompt + toolUsePrompt + candidates + thoughts.
        var prompt = Count(usage, "promptTokenCount") + Count(usage, "toolUsePromptTokenCount");
        // candidatesTokenCount excludes thoughts.
        var thoughts = Count(usage, "thoughtsTokenCount");
        return new GeminiUsage(prompt, Count(usage, "candidatesTokenCount") + thoughts, Count(usage, "cachedContentTokenCount"), thoughts, ImageOutput(usage));
    }

    public TokenUsage ToTokenUsage() => UsageJson.Create(PromptTokens, CompletionTokens, CachedTokens, cacheWriteTokens: 0, ReasoningTokens, ImageTokens);

    /// <summary>Output image tokens: the <c>IMAGE</c> entry of <c>candidatesTokensDetails</c> (image models bill them apart).</summary>
    private static int ImageOutput(JsonElement usage)
    {
        if (!usage.TryGetProperty("candidatesTokensDetails", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }
        var tokens = 0;
        foreach (var entry in details.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("modality", out var modality)
                && modality.ValueKind == JsonValueKind.String && modality.ValueEquals("IMAGE"))
            {
                tokens += JsonElements.Int32(entry, "tokenCount") ?? 0;
            }
        }
        return tokens;
    }

    private static int Count(JsonElement usage, string name) =>
        JsonElements.Int32(usage, name) ?? 0;
}
