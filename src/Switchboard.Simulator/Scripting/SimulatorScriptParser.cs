using System.Text.Json;

namespace Switchboard.Simulator.Scripting;

/// <summary>Reads the <c>"simulator"</c> object and applies the matching <c>providers</c> override.</summary>
internal static class SimulatorScriptParser
{
    /// <returns>null when the request carries no script.</returns>
    /// <exception cref="ScriptFormatException">The script is not well-formed.</exception>
    public static SimulatorScript? Parse(JsonElement script, string provider)
    {
        if (script.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var parsed = ParseFields(script, "simulator", allowProviders: true);
        if (!script.TryGetProperty("providers", out var providers) || providers.ValueKind == JsonValueKind.Null)
        {
            return parsed;
        }

        var overrides = new ScriptValue(providers, "providers").Object();
        if (!overrides.TryGetProperty(provider, out var forProvider) || forProvider.ValueKind == JsonValueKind.Null)
        {
            return parsed;
        }

        return parsed.MergeWith(ParseFields(forProvider, $"providers.{provider}", allowProviders: false));
    }

    private static SimulatorScript ParseFields(JsonElement element, string scope, bool allowProviders)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ScriptFormatException($"Invalid simulator script: '{scope}' must be an object.");
        }

        var script = new SimulatorScript();
        foreach (var field in element.EnumerateObject())
        {
            var value = new ScriptValue(field.Value, field.Name);
            if (value.IsNull)
            {
                continue;
            }

            script = field.Name switch
            {
                "latency_ms" => script with { LatencyMs = value.NonNegativeInt() },
                "status" => script with { Status = value.StatusCode() },
                "error_body" => script with { ErrorBody = value.String() },
                "retry_after" => script with { RetryAfter = value.NonNegativeInt() },
                "content" => script with { Content = value.String() },
                "tokens" => script with { Tokens = value.NonNegativeInt() },
                "chunk_delay_ms" => script with { ChunkDelayMs = value.NonNegativeInt() },
                "first_chunk_delay_ms" => script with { FirstChunkDelayMs = value.NonNegativeInt() },
                "tool_calls" => script with { ToolCalls = value.ToolCalls() },
                "finish_reason" => script with { FinishReason = value.String() },
                "usage" => script with { Usage = value.Usage() },
                "omit_usage" => script with { OmitUsage = value.Bool() },
                "keepalive_comments" => script with { KeepaliveComments = value.NonNegativeInt() },
                "hang" => script with { Hang = value.Bool() },
                "hang_after_events" => script with { HangAfterEvents = value.NonNegativeInt() },
                "reset_after_events" => script with { ResetAfterEvents = value.NonNegativeInt() },
                "malformed_after_events" => script with { MalformedAfterEvents = value.NonNegativeInt() },
                "error_event_after" => script with { ErrorEventAfter = value.NonNegativeInt() },
                "omit_done" => script with { OmitDone = value.Bool() },
                "reasoning" => script with { Reasoning = value.String() },
                "json" => script with { Json = value.CompactJson() },
                "block_prompt" => script with { BlockPrompt = value.String() },
                "stamp_content" => script with { StampContent = value.Bool() },
                "providers" when allowProviders => script, // applied by Parse once the base script is known
                _ => throw new ScriptFormatException($"Invalid simulator script: unknown field '{scope}.{field.Name}'."),
            };
        }

        return script;
    }
}
