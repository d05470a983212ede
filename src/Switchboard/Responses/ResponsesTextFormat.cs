using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// <c>text.format</c> as the chat path's <c>response_format</c>: <c>json_schema</c> (whose name, schema and strictness
/// sit on the format itself, not in a nested <c>json_schema</c> object), <c>json_object</c>, or <c>text</c> (nothing
/// to say). <c>text.verbosity</c> is accepted and ignored.
/// </summary>
internal static class ResponsesTextFormat
{
    public static string? Write(Utf8JsonWriter json, JsonElement request)
    {
        if (!JsonValues.TryGetValue(request, "text", out var text))
        {
            return null;
        }
        if (text.ValueKind != JsonValueKind.Object)
        {
            return "text: must be an object such as {\"format\":{\"type\":\"text\"}}";
        }
        if (JsonValues.TryGetValue(text, "verbosity", out var verbosity) && verbosity.ValueKind != JsonValueKind.String)
        {
            return "text.verbosity: must be a string such as \"medium\"";
        }
        if (!JsonValues.TryGetValue(text, "format", out var format))
        {
            return null;
        }
        if (format.ValueKind != JsonValueKind.Object)
        {
            return "text.format: must be an object with a type";
        }
        switch (JsonValues.String(format, "type"))
        {
            case "text":
                return null;
            case "json_object":
                json.WriteStartObject("response_format"u8);
                json.WriteString("type"u8, "json_object");
                json.WriteEndObject();
                return null;
            case "json_schema":
                return WriteSchema(json, format);
            case null:
                return "text.format.type: required, one of text, json_object, json_schema";
            case var other:
                return $"text.format.type: '{other}' is not supported; use text, json_object or json_schema";
        }
    }

    private static string? WriteSchema(Utf8JsonWriter json, JsonElement format)
    {
        if (JsonValues.String(format, "name") is not { Length: > 0 } name)
        {
            return "text.format.name: required for json_schema, a non-empty string";
        }
        if (!JsonValues.TryGetValue(format, "schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            return "text.format.schema: required for json_schema, a JSON Schema object";
        }
        if (JsonValues.TryGetValue(format, "strict", out var strict) && strict.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return "text.format.strict: must be a boolean";
        }
        if (JsonValues.TryGetValue(format, "description", out var description) && description.ValueKind != JsonValueKind.String)
        {
            return "text.format.description: must be a string";
        }
        json.WriteStartObject("response_format"u8);
        json.WriteString("type"u8, "json_schema");
        json.WriteStartObject("json_schema"u8);
        json.WriteString("name"u8, name);
        if (description.ValueKind == JsonValueKind.String)
        {
            json.WriteString("description"u8, description.GetString());
        }
        json.WritePropertyName("schema"u8);
        schema.WriteTo(json);
        if (strict.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            json.WriteBoolean("strict"u8, strict.ValueKind == JsonValueKind.True);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }
}
