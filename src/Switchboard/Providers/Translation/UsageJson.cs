using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Providers.Translation;

/// <summary>Builds an OpenAI <c>usage</c> object from a provider's counts, with prompt and completion totals inclusive.</summary>
internal static class UsageJson
{
    /// <param name="promptTokens">All input tokens, cached reads and cache writes included.</param>
    /// <param name="completionTokens">All output tokens, reasoning and images included.</param>
    /// <param name="imageTokens">Output image tokens; written only when there are some.</param>
    public static TokenUsage Create(int promptTokens, int completionTokens, int cachedTokens, int cacheWriteTokens, int reasoningTokens, int imageTokens = 0)
    {
        using var buffer = new PooledBufferWriter(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("prompt_tokens"u8, promptTokens);
            json.WriteNumber("completion_tokens"u8, completionTokens);
            json.WriteNumber("total_tokens"u8, promptTokens + completionTokens);
            json.WriteStartObject("prompt_tokens_details"u8);
            json.WriteNumber("cached_tokens"u8, cachedTokens);
            json.WriteNumber("cache_write_tokens"u8, cacheWriteTokens);
            json.WriteEndObject();
            json.WriteStartObject("completion_tokens_details"u8);
            json.WriteNumber("reasoning_tokens"u8, reasoningTokens);
            if (imageTokens > 0)
            {
                json.WriteNumber("image_tokens"u8, imageTokens);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return new TokenUsage(promptTokens, completionTokens, cachedTokens, cacheWriteTokens, reasoningTokens, buffer.WrittenSpan.ToArray()) { ImageTokens = imageTokens };
    }
}
