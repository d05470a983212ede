using System.Text.Json;

namespace Switchboard.Providers;

/// <summary>
/// Token counts of one generation, plus the OpenAI-shaped <c>usage</c> object as it will be sent to the client
/// (kept verbatim so provider-specific details survive).
/// </summary>
internal sealed record TokenUsage(int PromptTokens, int CompletionTokens, int CachedTokens, int CacheWriteTokens, int ReasoningTokens, byte[] Json)
{
    /// <summary>Output image tokens (<c>completion_tokens_details.image_tokens</c>), a part of <see cref="CompletionTokens"/>.</summary>
    public int ImageTokens { get; init; }

    public int TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Reads an OpenAI <c>usage</c> object. Returns null for <c>null</c> or anything that is not an object.</summary>
    public static TokenUsage? Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        int prompt = 0, completion = 0, cached = 0, cacheWrite = 0, reasoning = 0, image = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8)) { prompt = ReadInt(ref reader); }
            else if (reader.ValueTextEquals("completion_tokens"u8)) { completion = ReadInt(ref reader); }
            else if (reader.ValueTextEquals("prompt_cache_hit_tokens"u8)) { cached = Math.Max(cached, ReadInt(ref reader)); } // DeepSeek
            else if (reader.ValueTextEquals("prompt_tokens_details"u8)) { ReadDetails(ref reader, ref cached, ref cacheWrite, ref reasoning, ref image, output: false); }
            else if (reader.ValueTextEquals("completion_tokens_details"u8)) { ReadDetails(ref reader, ref cached, ref cacheWrite, ref reasoning, ref image, output: true); }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new TokenUsage(prompt, completion, cached, cacheWrite, reasoning, json.ToArray()) { ImageTokens = image };
    }

    private static int ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : 0;
    }

    // image_tokens in prompt_tokens_details are input images, already in the prompt count; only output ones are priced apart.
    private static void ReadDetails(ref Utf8JsonReader reader, ref int cached, ref int cacheWrite, ref int reasoning, ref int image, bool output)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cached_tokens"u8)) { cached = Math.Max(cached, ReadInt(ref reader)); }
            else if (reader.ValueTextEquals("cache_write_tokens"u8)) { cacheWrite = ReadInt(ref reader); }
            else if (reader.ValueTextEquals("reasoning_tokens"u8)) { reasoning = ReadInt(ref reader); }
            else if (output && reader.ValueTextEquals("image_tokens"u8)) { image = ReadInt(ref reader); }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }
}
