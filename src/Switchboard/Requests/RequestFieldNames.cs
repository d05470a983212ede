using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Switchboard.Requests;

/// <summary>
/// The top-level field names of chat requests as shared strings: reading a request's property names allocates a
/// string only for a field nobody has told us about.
/// </summary>
internal static class RequestFieldNames
{
    private const int LongestName = 32;

    private static readonly FrozenSet<string> Known = FrozenSet.Create(StringComparer.Ordinal,
        // OpenAI's chat completion request
        "model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n",
        "stop", "seed", "frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "response_format",
        "tools", "tool_choice", "parallel_tool_calls", "user", "metadata", "store", "service_tier", "modalities", "audio",
        "prediction", "reasoning_effort", "verbosity", "web_search_options", "prompt_cache_key", "safety_identifier",
        "functions", "function_call",
        // OpenRouter's additions
        "models", "provider", "route", "transforms", "usage", "plugins", "reasoning", "include_reasoning", "session_id",
        "trace", "debug", "top_k", "min_p", "top_a", "repetition_penalty",
        // stream_options
        "include_usage", "include_obfuscation");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ByChars = Known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The name of the property the reader is on.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped && raw.Length <= LongestName)
        {
            Span<char> chars = stackalloc char[LongestName];
            if (Ascii.ToUtf16(raw, chars, out var written) == OperationStatus.Done && ByChars.TryGetValue(chars[..written], out var known))
            {
                return known;
            }
        }
        return reader.GetString()!;
    }
}
