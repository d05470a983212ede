using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Rewrites a JSON Schema (tool parameters, <c>response_format.json_schema</c>) into Gemini's OpenAPI-subset
/// <c>Schema</c>, which answers 400 to any keyword it does not know (<c>additionalProperties</c>, <c>$schema</c>,
/// <c>const</c>, <c>oneOf</c>…). References are inlined, <c>null</c> types become <c>nullable</c>, <c>const</c> becomes a
/// one-value <c>enum</c>, and everything outside the subset is dropped: looser, but accepted.
/// </summary>
internal static class GeminiSchema
{
    private const int MaxDepth = 32;

    private static readonly string[] NumberKeywords = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minimum", "maximum"];

    public static void Write(Utf8JsonWriter json, JsonElement schema) => Write(json, schema, new GeminiSchemaContext(schema), 0);

    private static void Write(Utf8JsonWriter json, JsonElement schema, GeminiSchemaContext context, int depth)
    {
        if (depth > MaxDepth || !context.TakeNode())
        {
            json.WriteStartObject();
            json.WriteEndObject();
            return;
        }
        var node = GeminiSchemaNode.Flatten(schema, context);
        context.Enter(node.ExpandedReferences);
        WriteNode(json, node, context, depth, nullable: false);
        context.Leave(node.ExpandedReferences);
    }

    private static void WriteNode(Utf8JsonWriter json, GeminiSchemaNode node, GeminiSchemaContext context, int depth, bool nullable)
    {
        var (type, types) = GeminiSchemaTypes.Read(node.Get("type"), ref nullable);
        nullable |= node.Get("nullable")?.ValueKind == JsonValueKind.True;
        var branches = GeminiSchemaTypes.Branches(node, context, ref nullable);
        if (branches.Count == 1)
        {
            // anyOf [X, null] is how JSON Schema spells "nullable X": X itself, with the outer description kept.
            var merged = GeminiSchemaNode.Flatten(branches[0], context);
            merged.Overlay(node, "anyOf", "oneOf");
            context.Enter(merged.ExpandedReferences);
            WriteNode(json, merged, context, depth + 1, nullable);
            context.Leave(merged.ExpandedReferences);
            return;
        }

        json.WriteStartObject();
        type ??= GeminiSchemaTypes.Infer(node);
        if (type is not null)
        {
            json.WriteString("type"u8, type);
        }
        foreach (var (key, value) in node.Keywords)
        {
            switch (key)
            {
                case "title" or "description" or "pattern" when value.ValueKind == JsonValueKind.String:
                case "example" or "default":
                    json.WritePropertyName(key);
                    value.WriteTo(json);
                    break;
                case "format" when GeminiSchemaTypes.IsSupportedFormat(type, value):
                    json.WriteString("format"u8, value.GetString());
                    break;
                case "enum" when GeminiSchemaTypes.IsStringArray(value) && value.GetArrayLength() > 0:
                case "propertyOrdering" when GeminiSchemaTypes.IsStringArray(value):
                    json.WritePropertyName(key);
                    value.WriteTo(json);
                    break;
                case "const" when value.ValueKind == JsonValueKind.String:
                    json.WriteStartArray("enum"u8);
                    json.WriteStringValue(value.GetString());
                    json.WriteEndArray();
                    break;
                case "items" when value.ValueKind == JsonValueKind.Object:
                    json.WritePropertyName("items"u8);
                    Write(json, value, context, depth + 1);
                    break;
                case var number when value.ValueKind == JsonValueKind.Number && Array.IndexOf(NumberKeywords, number) >= 0:
                    json.WritePropertyName(key);
                    value.WriteTo(json);
                    break;
            }
        }
        if (type == "array" && node.Get("items")?.ValueKind != JsonValueKind.Object)
        {
            // Gemini rejects an array without items ("items: missing field"); strings are the loosest item it can take.
            json.WriteStartObject("items"u8);
            json.WriteString("type"u8, "string");
            json.WriteEndObject();
        }
        WriteProperties(json, node, context, depth);
        if (branches.Count > 1)
        {
            json.WriteStartArray("anyOf"u8);
            foreach (var branch in branches)
            {
                Write(json, branch, context, depth + 1);
            }
            json.WriteEndArray();
        }
        else if (types.Count > 1)
        {
            // "type": ["string", "integer"] has no Gemini spelling but an anyOf of the types.
            json.WriteStartArray("anyOf"u8);
            foreach (var member in types)
            {
                json.WriteStartObject();
                json.WriteString("type"u8, member);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (nullable)
        {
            json.WriteBoolean("nullable"u8, true);
        }
        json.WriteEndObject();
    }

    // An object without properties stays {"type":"object"}: Gemini rejects an empty properties map.
    private static void WriteProperties(Utf8JsonWriter json, GeminiSchemaNode node, GeminiSchemaContext context, int depth)
    {
        if (node.Properties.Count == 0)
        {
            return;
        }
        json.WriteStartObject("properties"u8);
        foreach (var (name, schema) in node.Properties)
        {
            json.WritePropertyName(name);
            Write(json, schema, context, depth + 1);
        }
        json.WriteEndObject();
        var required = node.Required.Where(r => node.Properties.Exists(p => p.Key == r)).ToList();
        if (required.Count > 0)
        {
            // Gemini rejects a required name that is not among the properties.
            json.WriteStartArray("required"u8);
            foreach (var name in required)
            {
                json.WriteStringValue(name);
            }
            json.WriteEndArray();
        }
    }
}
