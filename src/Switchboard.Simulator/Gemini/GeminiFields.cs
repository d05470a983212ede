using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// Proto-JSON field access: the API accepts each field as lowerCamelCase or as its snake_case proto name, rejects
/// any other name, and reports paths in snake_case (<c>tools[0].function_declarations[0].parameters</c>).
/// </summary>
internal static class GeminiFields
{
    public static bool TryGet(JsonElement obj, string camelName, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object
            && (obj.TryGetProperty(camelName, out value) || obj.TryGetProperty(ToSnake(camelName), out value))
            && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static string? String(JsonElement obj, string camelName) =>
        TryGet(obj, camelName, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Adds a violation, worded like the API's, for every property whose name <paramref name="known"/> lacks.</summary>
    public static void CheckNames(
        JsonElement obj, string path, FrozenSet<string> known, List<GeminiFieldViolation> violations)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(ToCamel(property.Name)))
            {
                violations.Add(UnknownName(property.Name, path, "Cannot find field."));
            }
        }
    }

    public static GeminiFieldViolation UnknownName(string name, string path, string problem) => new(
        path,
        path.Length == 0
            ? $"Invalid JSON payload received. Unknown name \"{name}\": {problem}"
            : $"Invalid JSON payload received. Unknown name \"{name}\" at '{path}': {problem}");

    /// <summary>The API's wording for a value of the wrong JSON type.</summary>
    public static GeminiFieldViolation InvalidValue(string path, string protoType, JsonElement value) =>
        new(path, $"Invalid value at '{path}' ({protoType}), {value.GetRawText()}");

    public static string ToCamel(string name)
    {
        if (!name.Contains('_'))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        var upper = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    public static string ToSnake(string camelName)
    {
        var builder = new StringBuilder(camelName.Length + 4);
        foreach (var c in camelName)
        {
            if (char.IsUpper(c))
            {
                builder.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
