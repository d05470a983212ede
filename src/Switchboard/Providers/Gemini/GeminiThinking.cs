using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// <c>generationConfig.thinkingConfig</c> from the client's reasoning request. Nothing is sent unless the client
/// asked: Gemini then thinks as the model defaults and returns no thought text.
/// </summary>
internal readonly record struct GeminiThinking(bool IncludeThoughts, int? Budget)
{
    // Gemini 2.5's accepted budgets: Flash 0–24576, Flash-Lite 512–24576, Pro 128–32768. Anything else is a 400,
    // so a budget derived from a large output limit is kept inside the range every model accepts.
    internal const int MinBudget = 512;
    internal const int MaxBudget = 24576;

    // The output limit an effort share is taken of when neither the client nor the catalog gives one.
    private const int DefaultOutputLimit = 32768;

    public static GeminiThinking? From(JsonElement request, ReasoningRequest reasoning, int? outputLimit)
    {
        if (!reasoning.Enabled || reasoning.MaxTokens == 0)
        {
            // Only an explicit "off" (effort none, enabled false, a zero budget) turns thinking off;
            // silence leaves the model's default alone.
            return IsExplicitlyDisabled(request) || reasoning.MaxTokens == 0 ? new GeminiThinking(false, 0) : null;
        }
        int? budget = reasoning.MaxTokens is not null || reasoning.Effort is not null
            ? Math.Clamp(reasoning.Budget(outputLimit ?? DefaultOutputLimit), MinBudget, MaxBudget)
            : null; // "reasoning": {} asks for thoughts, not for a size: Gemini picks the budget dynamically
        return new GeminiThinking(!reasoning.Exclude, budget);
    }

    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject("thinkingConfig"u8);
        if (IncludeThoughts)
        {
            json.WriteBoolean("includeThoughts"u8, true);
        }
        if (Budget is { } budget)
        {
            json.WriteNumber("thinkingBudget"u8, budget);
        }
        json.WriteEndObject();
    }

    private static bool IsExplicitlyDisabled(JsonElement request)
    {
        if (request.TryGetProperty("reasoning", out var reasoning) && reasoning.ValueKind == JsonValueKind.Object)
        {
            if (reasoning.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False)
            {
                return true;
            }
            if (GeminiRequestWriter.String(reasoning, "effort") == "none")
            {
                return true;
            }
        }
        return GeminiRequestWriter.String(request, "reasoning_effort") == "none";
    }
}
