using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>The parts of a <c>response</c> object the response and stream writers share: its head, status and usage.</summary>
internal static class ResponsesOutcome
{
    /// <summary>
    /// Why an answer is incomplete, from its chat <c>finish_reason</c>: cut off at the output limit, or filtered; null
    /// for an answer that completed.
    /// </summary>
    public static string? IncompleteReason(string? finishReason) => finishReason switch
    {
        "length" => "max_output_tokens",
        "content_filter" => "content_filter",
        _ => null,
    };

    /// <summary>
    /// <c>id</c> through the echoed request settings; the caller writes <c>error</c> unless it is null (pass
    /// <paramref name="writeNullError"/>), then <c>output</c> and <c>usage</c>, and ends the object.
    /// <paramref name="completedAt"/> is set once the response has ended, completed or incomplete (null while in
    /// progress, and for a failed response), as OpenAI and OpenRouter write it.
    /// </summary>
    public static void WriteHead(Utf8JsonWriter json, string id, long createdAt, string model, string status, string? incompleteReason, ResponsesEcho echo, bool writeNullError = true, long? completedAt = null)
    {
        json.WriteString("id"u8, id);
        json.WriteString("object"u8, "response");
        json.WriteNumber("created_at"u8, createdAt);
        if (completedAt is { } completed)
        {
            json.WriteNumber("completed_at"u8, completed);
        }
        else
        {
            json.WriteNull("completed_at"u8);
        }
        json.WriteString("status"u8, status);
        if (writeNullError)
        {
            json.WriteNull("error"u8);
        }
        if (incompleteReason is null)
        {
            json.WriteNull("incomplete_details"u8);
        }
        else
        {
            json.WriteStartObject("incomplete_details"u8);
            json.WriteString("reason"u8, incompleteReason);
            json.WriteEndObject();
        }
        json.WriteString("model"u8, model);
        echo.Write(json);
    }

    /// <summary>
    /// The gateway's chat usage as OpenAI's Responses usage, plus OpenRouter's <c>cost</c>, <c>is_byok</c> and
    /// <c>cost_details</c> as they are. Chat's <c>prompt_tokens</c> and Responses' <c>input_tokens</c> both include
    /// cached tokens, so the counts carry over as they are.
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter json, JsonElement usage)
    {
        var input = JsonValues.Count(usage, "prompt_tokens");
        var output = JsonValues.Count(usage, "completion_tokens");
        JsonValues.TryGetValue(usage, "prompt_tokens_details", out var inputDetails);
        JsonValues.TryGetValue(usage, "completion_tokens_details", out var outputDetails);
        json.WriteStartObject("usage"u8);
        json.WriteNumber("input_tokens"u8, input);
        json.WriteStartObject("input_tokens_details"u8);
        json.WriteNumber("cached_tokens"u8, JsonValues.Count(inputDetails, "cached_tokens"));
        json.WriteNumber("cache_write_tokens"u8, JsonValues.Count(inputDetails, "cache_write_tokens"));
        json.WriteEndObject();
        json.WriteNumber("output_tokens"u8, output);
        json.WriteStartObject("output_tokens_details"u8);
        json.WriteNumber("reasoning_tokens"u8, JsonValues.Count(outputDetails, "reasoning_tokens"));
        json.WriteEndObject();
        json.WriteNumber("total_tokens"u8, JsonValues.TryGetValue(usage, "total_tokens", out _) ? JsonValues.Count(usage, "total_tokens") : input + output);
        foreach (var name in (ReadOnlySpan<string>)["cost", "is_byok"])
        {
            if (JsonValues.TryGetValue(usage, name, out var value))
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }
        }
        if (JsonValues.TryGetValue(usage, "cost_details", out var costDetails) && costDetails.ValueKind == JsonValueKind.Object)
        {
            WriteCostDetails(json, costDetails);
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// Chat's <c>cost_details</c> in the Responses API's names: OpenRouter calls the prompt's and the completion's
    /// shares <c>upstream_inference_input_cost</c> and <c>upstream_inference_output_cost</c> here (its SDK requires both).
    /// </summary>
    private static void WriteCostDetails(Utf8JsonWriter json, JsonElement chat)
    {
        json.WriteStartObject("cost_details"u8);
        // The list price of a BYOK generation, null otherwise; written as chat writes it.
        if (chat.TryGetProperty("upstream_inference_cost", out var upstream))
        {
            json.WritePropertyName("upstream_inference_cost"u8);
            upstream.WriteTo(json);
        }
        json.WritePropertyName("upstream_inference_input_cost"u8);
        WriteNumberOrZero(json, chat, "upstream_inference_prompt_cost");
        json.WritePropertyName("upstream_inference_output_cost"u8);
        WriteNumberOrZero(json, chat, "upstream_inference_completions_cost");
        json.WriteEndObject();
    }

    private static void WriteNumberOrZero(Utf8JsonWriter json, JsonElement element, string name)
    {
        if (JsonValues.TryGetValue(element, name, out var value) && value.ValueKind == JsonValueKind.Number)
        {
            value.WriteTo(json);
        }
        else
        {
            json.WriteNumberValue(0);
        }
    }

    /// <summary>A failed response's <c>error</c>: OpenAI's code for a rate limit or a bad prompt, <c>server_error</c> for the rest.</summary>
    public static void WriteError(Utf8JsonWriter json, int status, string message)
    {
        json.WriteStartObject("error"u8);
        json.WriteString("code"u8, status switch
        {
            429 => "rate_limit_exceeded",
            400 => "invalid_prompt",
            _ => "server_error",
        });
        json.WriteString("message"u8, message);
        json.WriteEndObject();
    }

    /// <summary>The ids of a response's output items, derived from the generation id so they are unique and stable.</summary>
    public static string MessageId(string responseId) => $"msg_{Suffix(responseId)}";

    public static string ReasoningId(string responseId) => $"rs_{Suffix(responseId)}";

    public static string CallId(string responseId, int index) => $"fc_{Suffix(responseId)}_{index}";

    private static string Suffix(string responseId) => responseId.StartsWith("gen-", StringComparison.Ordinal) ? responseId[4..] : responseId;
}
