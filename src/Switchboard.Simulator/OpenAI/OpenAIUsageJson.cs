using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary>The <c>usage</c> object, including the detail objects current OpenAI models return.</summary>
internal static class OpenAIUsageJson
{
    public static void Write(Utf8JsonWriter json, TokenUsage usage)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        json.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
        json.WriteNumber("total_tokens"u8, usage.TotalTokens);

        json.WriteStartObject("prompt_tokens_details"u8);
        json.WriteNumber("cached_tokens"u8, usage.CacheReadTokens);
        json.WriteNumber("audio_tokens"u8, 0);
        if (usage.CacheWriteTokens > 0)
        {
            // OpenAI itself never reports cache writes; OpenAI-compatible providers that bill them use this name.
            json.WriteNumber("cache_write_tokens"u8, usage.CacheWriteTokens);
        }

        json.WriteEndObject();

        json.WriteStartObject("completion_tokens_details"u8);
        json.WriteNumber("reasoning_tokens"u8, usage.ReasoningTokens);
        if (usage.ImageTokens > 0)
        {
            json.WriteNumber("image_tokens"u8, usage.ImageTokens);
        }
        json.WriteNumber("audio_tokens"u8, 0);
        json.WriteNumber("accepted_prediction_tokens"u8, 0);
        json.WriteNumber("rejected_prediction_tokens"u8, 0);
        json.WriteEndObject();

        json.WriteEndObject();
    }
}
