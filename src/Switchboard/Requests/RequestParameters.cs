using System.Collections.Frozen;

namespace Switchboard.Requests;

/// <summary>
/// The request parameters that <c>provider.require_parameters</c> checks against an endpoint's
/// <c>supported_parameters</c>, in OpenRouter's names. A bit set over a fixed table: building it per request
/// allocates nothing, where a set of strings would.
/// </summary>
internal struct RequestParameters
{
    private static readonly string[] Names =
    [
        "temperature", "top_p", "top_k", "min_p", "top_a", "frequency_penalty", "presence_penalty", "repetition_penalty",
        "max_tokens", "logit_bias", "logprobs", "top_logprobs", "seed", "response_format", "stop", "tools", "tool_choice",
        "parallel_tool_calls", "reasoning", "include_reasoning", "web_search_options", "verbosity", "structured_outputs",
    ];

    // Request fields by the parameter they count as: several fields share one name (max_completion_tokens is max_tokens).
    private static readonly FrozenDictionary<string, int> BitByField = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["temperature"] = 0, ["top_p"] = 1, ["top_k"] = 2, ["min_p"] = 3, ["top_a"] = 4, ["frequency_penalty"] = 5,
        ["presence_penalty"] = 6, ["repetition_penalty"] = 7, ["max_tokens"] = 8, ["max_completion_tokens"] = 8,
        ["logit_bias"] = 9, ["logprobs"] = 10, ["top_logprobs"] = 11, ["seed"] = 12, ["response_format"] = 13, ["stop"] = 14,
        ["tools"] = 15, ["tool_choice"] = 16, ["parallel_tool_calls"] = 17, ["reasoning"] = 18, ["reasoning_effort"] = 18,
        ["include_reasoning"] = 19, ["web_search_options"] = 20, ["verbosity"] = 21,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const int StructuredOutputsBit = 22;

    private uint _bits;

    /// <summary>Counts a top-level request field, if it is one of the parameters.</summary>
    public void AddField(string field)
    {
        if (BitByField.TryGetValue(field, out var bit))
        {
            _bits |= 1u << bit;
        }
    }

    /// <summary>A JSON schema in <c>response_format</c> needs an endpoint with structured outputs, not just JSON mode.</summary>
    public void AddStructuredOutputs() => _bits |= 1u << StructuredOutputsBit;

    public readonly Enumerator GetEnumerator() => new(_bits);

    /// <summary>The parameter names in the set.</summary>
    public struct Enumerator(uint bits)
    {
        private uint _remaining = bits;

        public string Current { get; private set; } = "";

        public bool MoveNext()
        {
            if (_remaining == 0)
            {
                return false;
            }
            var bit = System.Numerics.BitOperations.TrailingZeroCount(_remaining);
            _remaining &= _remaining - 1;
            Current = Names[bit];
            return true;
        }
    }
}
