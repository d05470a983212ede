using System.Text.Json;
using Switchboard.Catalog;
using Switchboard.Infrastructure;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Anthropic;

/// <summary>Builds an Anthropic Messages request from an OpenAI chat request.</summary>
internal static class AnthropicRequestWriter
{
    /// <summary>Claude requires <c>max_tokens</c>; this applies when neither the request nor the catalog gives one.</summary>
    public const int DefaultMaxTokens = 4096;
    private const int MinThinkingBudget = 1024;

    public static PooledBufferWriter Write(ChatRequest request, CatalogEndpoint endpoint)
    {
        // The depth the parser allowed: a deeply nested tool schema must not fail here after passing there.
        using var document = JsonDocument.Parse(request.Body, new JsonDocumentOptions { MaxDepth = ChatRequestParser.MaxDepth });
        var root = document.RootElement;
        var output = new PooledBufferWriter(request.Body.Length + 512);
        using var json = new Utf8JsonWriter(output);

        var (maxTokens, thinkingBudget) = OutputLimit(request, endpoint);
        var jsonOutput = AnthropicJsonOutput.From(root);
        var nativeJson = jsonOutput is not null && endpoint.SupportedParameters.Contains("structured_outputs");

        json.WriteStartObject();
        json.WriteString("model"u8, endpoint.UpstreamModel);
        json.WriteNumber("max_tokens"u8, maxTokens);
        JsonElements.TryGet(root, "messages", out var messages); // the parser requires it, as an array of objects
        AnthropicMessagesWriter.WriteSystem(json, messages);
        AnthropicMessagesWriter.WriteMessages(json, messages);
        AnthropicToolsWriter.Write(json, root, nativeJson ? null : jsonOutput, thinking: thinkingBudget is not null);

        if (StopSequences(root) is { Count: > 0 } stops)
        {
            json.WriteStartArray("stop_sequences"u8);
            foreach (var stop in stops)
            {
                json.WriteStringValue(stop);
            }
            json.WriteEndArray();
        }
        if (thinkingBudget is null)
        {
            if (JsonElements.Double(root, "temperature") is { } t)
            {
                json.WriteNumber("temperature"u8, Math.Clamp(t, 0, 1)); // OpenAI allows up to 2; Claude rejects above 1
            }
            CopyNumber(json, root, "top_p", "top_p"u8);
            CopyNumber(json, root, "top_k", "top_k"u8);
        }
        else if (JsonElements.Double(root, "top_p") is { } p && p >= 0.95)
        {
            json.WriteNumber("top_p"u8, p); // with thinking Claude takes no temperature or top_k, and top_p only from 0.95
        }
        if (thinkingBudget is { } thinking)
        {
            json.WriteStartObject("thinking"u8);
            json.WriteString("type"u8, "enabled");
            json.WriteNumber("budget_tokens"u8, thinking);
            json.WriteEndObject();
        }
        if (nativeJson)
        {
            json.WriteStartObject("output_config"u8);
            json.WriteStartObject("format"u8);
            json.WriteString("type"u8, "json_schema");
            json.WritePropertyName("schema"u8);
            jsonOutput!.Schema.WriteTo(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        if (root.TryGetProperty("user", out var user) && user.ValueKind == JsonValueKind.String)
        {
            json.WriteStartObject("metadata"u8);
            json.WriteString("user_id"u8, user.GetString());
            json.WriteEndObject();
        }
        if (request.Stream)
        {
            json.WriteBoolean("stream"u8, true);
        }
        json.WriteEndObject();
        json.Flush();
        return output;
    }

    /// <summary>
    /// The <c>max_tokens</c> Claude is sent, and the thinking budget within it. The credit hold sizes the output
    /// with this same method, so what is held is exactly what Claude may generate.
    /// </summary>
    public static (int MaxTokens, int? ThinkingBudget) OutputLimit(ChatRequest request, CatalogEndpoint endpoint)
    {
        var maxTokens = request.MaxTokens ?? endpoint.MaxCompletionTokens ?? DefaultMaxTokens;
        if (!request.Reasoning.Enabled)
        {
            return (maxTokens, null);
        }
        // The budget counts toward max_tokens and must stay below it; when the limit leaves no room for Claude's
        // minimum budget, the limit grows so the answer still gets what was asked for.
        var budget = Math.Max(MinThinkingBudget, request.Reasoning.Budget(maxTokens));
        if (budget >= maxTokens)
        {
            maxTokens = (int)Math.Min((long)budget + maxTokens, int.MaxValue);
        }
        return (maxTokens, budget);
    }

    private static List<string>? StopSequences(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop))
        {
            return null;
        }
        // Claude rejects whitespace-only stop sequences.
        return stop.ValueKind switch
        {
            JsonValueKind.String => [.. new[] { stop.GetString()! }.Where(s => s.Trim().Length > 0)],
            JsonValueKind.Array => [.. stop.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!).Where(s => s.Trim().Length > 0)],
            _ => null,
        };
    }

    private static void CopyNumber(Utf8JsonWriter json, JsonElement root, string name, ReadOnlySpan<byte> target)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
        {
            json.WritePropertyName(target);
            value.WriteTo(json);
        }
    }
}
