using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// <c>usageMetadata</c>: <c>promptTokenCount</c> includes the cached part (like OpenAI), <c>candidatesTokenCount</c>
/// excludes thoughts (unlike OpenAI), and the total adds prompt, candidates and thoughts. Cache writes do not exist.
/// </summary>
internal static class GeminiUsageJson
{
    public static void Write(Utf8JsonWriter json, TokenUsage usage, int candidateCount, bool promptOnly)
    {
        var thoughts = Math.Min(usage.ReasoningTokens, usage.CompletionTokens) * candidateCount;
        var candidates = promptOnly ? 0 : (usage.CompletionTokens * candidateCount) - thoughts;
        json.WriteStartObject("usageMetadata"u8);
        json.WriteNumber("promptTokenCount"u8, usage.PromptTokens);
        if (!promptOnly)
        {
            json.WriteNumber("candidatesTokenCount"u8, candidates);
        }

        json.WriteNumber("totalTokenCount"u8, usage.PromptTokens + candidates + (promptOnly ? 0 : thoughts));
        if (usage.CacheReadTokens > 0)
        {
            json.WriteNumber("cachedContentTokenCount"u8, usage.CacheReadTokens);
        }

        if (thoughts > 0 && !promptOnly)
        {
            json.WriteNumber("thoughtsTokenCount"u8, thoughts);
        }

        var images = Math.Min(usage.ImageTokens, usage.CompletionTokens) * candidateCount;
        if (images > 0 && !promptOnly)
        {
            // Image models split candidates by modality; the image part is billed at the image-output price.
            json.WriteStartArray("candidatesTokensDetails"u8);
            json.WriteStartObject();
            json.WriteString("modality"u8, "TEXT");
            json.WriteNumber("tokenCount"u8, Math.Max(0, candidates - images));
            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteString("modality"u8, "IMAGE");
            json.WriteNumber("tokenCount"u8, images);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }
}
