using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// The request's settings a <c>response</c> object repeats (<c>instructions</c>, <c>tools</c>, <c>tool_choice</c>,
/// <c>temperature</c>, <c>text</c>, <c>reasoning</c>, …; OpenAI's SDKs require most of them), kept as the client's own
/// JSON with OpenAI's defaults for what it left out. Only these fields are copied, never the input.
/// </summary>
internal sealed class ResponsesEcho
{
    /// <summary>Fields and the value OpenAI writes when the request leaves them out (null: left out of the response too).</summary>
    private static readonly (string Name, string? Default)[] Fields =
    [
        ("frequency_penalty", "null"),
        ("instructions", "null"),
        ("max_output_tokens", "null"),
        ("metadata", "{}"),
        ("parallel_tool_calls", "true"),
        ("presence_penalty", "null"),
        ("previous_response_id", "null"),
        ("reasoning", "{\"effort\":null,\"summary\":null}"),
        ("service_tier", "\"auto\""),
        ("temperature", "null"),
        ("text", "{\"format\":{\"type\":\"text\"}}"),
        ("tool_choice", "\"auto\""),
        ("tools", "[]"),
        ("top_logprobs", null),
        ("top_p", "null"),
        ("truncation", "\"disabled\""),
        ("prompt_cache_key", null),
        ("safety_identifier", null),
        ("user", null),
    ];

    public static readonly ResponsesEcho Defaults = new([]);

    /// <summary>
    /// How deeply an echoed value may nest. The gateway accepts requests nested to 256, but a response nested deeper
    /// than 64 is refused by common JSON readers (.NET's default limit), so a deeper value (a tool schema, say) is
    /// echoed as OpenAI's default instead of making the whole response unreadable.
    /// </summary>
    private const int MaxEchoDepth = 48;

    private readonly Dictionary<string, byte[]> _given;

    private ResponsesEcho(Dictionary<string, byte[]> given) => _given = given;

    /// <summary>The echoed fields of a Responses request body (one that translated, so it is valid JSON).</summary>
    public static ResponsesEcho From(ReadOnlySpan<byte> clientBody)
    {
        using var document = JsonText.TryParse(clientBody, ResponsesRequestTranslator.MaxDepth);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return Defaults;
        }
        var given = new Dictionary<string, byte[]>();
        foreach (var (name, _) in Fields)
        {
            // previous_response_id is always null here: a request that sent one was refused.
            if (name != "previous_response_id" && JsonValues.TryGetValue(root, name, out var value) && Depth(value) <= MaxEchoDepth)
            {
                given[name] = Encoding.UTF8.GetBytes(value.GetRawText());
            }
        }
        return new ResponsesEcho(given);
    }

    private static int Depth(JsonElement value)
    {
        if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return 0;
        }
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(value.GetRawText()), new JsonReaderOptions { MaxDepth = ResponsesRequestTranslator.MaxDepth + 1 });
        var deepest = 0;
        while (reader.Read())
        {
            deepest = Math.Max(deepest, reader.CurrentDepth);
        }
        return deepest + 1;
    }

    public void Write(Utf8JsonWriter json)
    {
        foreach (var (name, fallback) in Fields)
        {
            if (_given.TryGetValue(name, out var raw))
            {
                json.WritePropertyName(name);
                json.WriteRawValue(raw, skipInputValidation: true);
            }
            else if (fallback is not null)
            {
                json.WritePropertyName(name);
                json.WriteRawValue(fallback, skipInputValidation: true);
            }
        }
        json.WriteBoolean("store"u8, false);
        json.WriteBoolean("background"u8, false);
    }
}
