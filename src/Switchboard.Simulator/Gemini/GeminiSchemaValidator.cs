using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// Gemini's <c>Schema</c> is an OpenAPI subset: JSON Schema keywords it lacks (<c>additionalProperties</c>,
/// <c>$schema</c>, <c>$ref</c>, <c>const</c>, <c>oneOf</c>, …) and <c>type</c> arrays are rejected with the API's own
/// messages. This is what lets the gateway's tests prove that its schema cleaning works.
/// </summary>
internal static class GeminiSchemaValidator
{
    private const string SchemaType = "type.googleapis.com/google.ai.generativelanguage.v1beta.Schema";

    private static readonly FrozenSet<string> Keywords = FrozenSet.Create(
        StringComparer.Ordinal,
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum");

    private static readonly FrozenSet<string> Types = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL");

    /// <summary>Adds every problem, as the API reports all of them at once.</summary>
    public static void Check(JsonElement schema, string path, List<GeminiFieldViolation> violations)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            violations.Add(GeminiFields.InvalidValue(path, SchemaType, schema));
            return;
        }

        foreach (var property in schema.EnumerateObject())
        {
            var keyword = GeminiFields.ToCamel(property.Name);
            if (!Keywords.Contains(keyword))
            {
                violations.Add(GeminiFields.UnknownName(property.Name, path, "Cannot find field."));
                continue;
            }

            var value = property.Value;
            switch (keyword)
            {
                case "type" when value.ValueKind == JsonValueKind.Array:
                    violations.Add(GeminiFields.UnknownName(property.Name, path, "Proto field is not repeating, cannot start list."));
                    break;
                case "type" when value.ValueKind != JsonValueKind.String || !Types.Contains(value.GetString()!):
                    violations.Add(GeminiFields.InvalidValue(
                        $"{path}.type", "type.googleapis.com/google.ai.generativelanguage.v1beta.Type", value));
                    break;
                case "properties" when value.ValueKind == JsonValueKind.Object:
                    var index = 0;
                    foreach (var child in value.EnumerateObject())
                    {
                        Check(child.Value, $"{path}.properties[{index++}].value", violations);
                    }

                    break;
                case "items":
                    Check(value, $"{path}.items", violations);
                    break;
                case "anyOf" when value.ValueKind == JsonValueKind.Array:
                    var option = 0;
                    foreach (var child in value.EnumerateArray())
                    {
                        Check(child, $"{path}.any_of[{option++}]", violations);
                    }

                    break;
                case "enum" when value.ValueKind == JsonValueKind.Array:
                    var member = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        // Gemini enums are strings only; JSON Schema allows any value.
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            violations.Add(GeminiFields.InvalidValue($"{path}.enum[{member}]", "TYPE_STRING", item));
                        }

                        member++;
                    }

                    break;
            }
        }
    }
}
