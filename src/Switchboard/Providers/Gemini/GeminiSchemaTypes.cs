using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>How JSON Schema's ways of typing a value map onto Gemini's single <c>type</c> plus <c>nullable</c>.</summary>
internal static class GeminiSchemaTypes
{
    /// <summary>
    /// Reads <c>type</c>: a string, or an array such as <c>["string","null"]</c>. <c>null</c> sets <paramref name="nullable"/>;
    /// a single other type is returned in <c>Type</c>, several in <c>Types</c>.
    /// </summary>
    public static (string? Type, List<string> Types) Read(JsonElement? type, ref bool nullable)
    {
        var types = new List<string>();
        if (type is { ValueKind: JsonValueKind.String } single)
        {
            types.Add(single.GetString()!);
        }
        else if (type is { ValueKind: JsonValueKind.Array } many)
        {
            types.AddRange(many.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
        }
        nullable |= types.Remove("null");
        return (types.Count == 1 ? types[0] : null, types);
    }

    /// <summary>
    /// The <c>anyOf</c> (or <c>oneOf</c>, which Gemini lacks and which is read as <c>anyOf</c>) branches that are not
    /// <c>{"type":"null"}</c>; a null branch sets <paramref name="nullable"/> instead.
    /// </summary>
    public static List<JsonElement> Branches(GeminiSchemaNode node, GeminiSchemaContext context, ref bool nullable)
    {
        var branches = new List<JsonElement>();
        var union = node.Get("anyOf") ?? node.Get("oneOf");
        if (union is not { ValueKind: JsonValueKind.Array } members)
        {
            return branches;
        }
        foreach (var member in members.EnumerateArray())
        {
            if (IsNull(member, context))
            {
                nullable = true;
            }
            else
            {
                branches.Add(member);
            }
        }
        return branches;
    }

    /// <summary>The type a schema without one evidently has, since Gemini reads a type-less object as nothing at all.</summary>
    public static string? Infer(GeminiSchemaNode node)
    {
        if (node.Properties.Count > 0 || node.CutRecursion)
        {
            return "object";
        }
        if (node.Get("items") is not null)
        {
            return "array";
        }
        return node.Get("enum") is { } values && IsStringArray(values) || node.Get("const")?.ValueKind == JsonValueKind.String ? "string" : null;
    }

    /// <summary>Gemini knows <c>enum</c> and <c>date-time</c> for strings and the sized number formats; others are rejected.</summary>
    public static bool IsSupportedFormat(string? type, JsonElement format) =>
        format.ValueKind == JsonValueKind.String && (type, format.GetString()) is
            ("string", "date-time" or "enum") or ("integer", "int32" or "int64") or ("number", "float" or "double");

    /// <summary>Gemini's <c>enum</c> holds strings only; an enum of numbers is dropped rather than sent to a 400.</summary>
    public static bool IsStringArray(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String);

    private static bool IsNull(JsonElement member, GeminiSchemaContext context)
    {
        if (member.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        if (GeminiRequestWriter.String(member, "$ref") is { } reference && context.TryResolve(reference, out var target))
        {
            member = target;
        }
        return GeminiRequestWriter.String(member, "type") == "null";
    }
}
