using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// How an OpenAI <c>response_format</c> is honoured on Claude. Models with structured outputs get the schema
/// natively; others get a forced tool whose input is the answer, which the translators turn back into the
/// message content, so the client never sees the tool. A schema whose root is not an object is wrapped in
/// <c>{"value": …}</c>, since tool inputs must be objects, and unwrapped on the way back.
/// </summary>
internal sealed record AnthropicJsonOutput(JsonElement Schema, bool Wrapped)
{
    /// <summary>The forced tool's name; it never reaches the client.</summary>
    public const string ToolName = "json_response";

    public static AnthropicJsonOutput? From(JsonElement request)
    {
        if (!JsonElements.TryGetObject(request, "response_format", out var format))
        {
            return null;
        }
        var type = JsonElements.String(format, "type");
        if (type == "json_object")
        {
            return new AnthropicJsonOutput(AnyObject, Wrapped: false);
        }
        if (type != "json_schema")
        {
            return null;
        }
        // Cloned: the schema outlives the request document it was read from.
        var schema = JsonElements.TryGetObject(format, "json_schema", out var spec) && JsonElements.TryGetObject(spec, "schema", out var s)
            ? s.Clone()
            : AnyObject;
        var isObject = schema.TryGetProperty("type", out var rootType) && rootType.ValueKind == JsonValueKind.String && rootType.ValueEquals("object");
        return new AnthropicJsonOutput(schema, Wrapped: !isObject);
    }

    private static readonly JsonElement AnyObject = JsonDocument.Parse("""{"type":"object","additionalProperties":true,"properties":{}}""").RootElement;

    /// <summary>The tool input as the JSON text the client asked for.</summary>
    public string ToContent(JsonElement input) =>
        Wrapped && input.ValueKind == JsonValueKind.Object && input.TryGetProperty("value", out var value)
            ? value.GetRawText()
            : input.GetRawText();
}
