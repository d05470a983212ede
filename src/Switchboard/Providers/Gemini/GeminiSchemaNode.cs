using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// One JSON Schema object with its <c>$ref</c> and <c>allOf</c> folded in, since Gemini's Schema has neither:
/// keywords in order, <c>properties</c> and <c>required</c> merged across the pieces. The schema's own keywords win
/// over what a reference or an <c>allOf</c> member brings (a property's <c>description</c> beside its <c>$ref</c>).
/// </summary>
internal sealed class GeminiSchemaNode
{
    public List<KeyValuePair<string, JsonElement>> Keywords { get; } = [];
    public List<KeyValuePair<string, JsonElement>> Properties { get; } = [];
    public List<string> Required { get; } = [];

    /// <summary>References expanded into this node; they stay "in progress" while its children are written.</summary>
    public List<string> ExpandedReferences { get; } = [];

    /// <summary>A reference back into itself was met and not expanded.</summary>
    public bool CutRecursion { get; private set; }

    public static GeminiSchemaNode Flatten(JsonElement schema, GeminiSchemaContext context)
    {
        var node = new GeminiSchemaNode();
        node.Absorb(schema, context);
        return node;
    }

    public JsonElement? Get(string keyword)
    {
        foreach (var (key, value) in Keywords)
        {
            if (key == keyword)
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>
    /// Lays <paramref name="outer"/>'s keywords over this node, leaving out the ones named in <paramref name="except"/>.
    /// The outer node's references stay with whoever expanded them.
    /// </summary>
    public void Overlay(GeminiSchemaNode outer, params string[] except)
    {
        foreach (var (key, value) in outer.Keywords)
        {
            if (Array.IndexOf(except, key) < 0)
            {
                Set(Keywords, key, value);
            }
        }
        foreach (var (name, schema) in outer.Properties)
        {
            Set(Properties, name, schema);
        }
        Required.AddRange(outer.Required.Where(r => !Required.Contains(r)));
        CutRecursion |= outer.CutRecursion;
    }

    private void Absorb(JsonElement schema, GeminiSchemaContext context)
    {
        if (schema.ValueKind != JsonValueKind.Object || !context.TakeNode())
        {
            return;
        }
        // The pieces first, so that the schema's own keywords override them.
        if (GeminiRequestWriter.String(schema, "$ref") is { } reference)
        {
            if (context.IsExpanding(reference))
            {
                CutRecursion = true;
            }
            else if (context.TryResolve(reference, out var target) && context.Enter(reference))
            {
                ExpandedReferences.Add(reference);
                Absorb(target, context);
                context.Leave(reference);
            }
        }
        if (schema.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array)
        {
            foreach (var member in allOf.EnumerateArray())
            {
                Absorb(member, context);
            }
        }
        foreach (var keyword in schema.EnumerateObject())
        {
            switch (keyword.Name)
            {
                case "$ref" or "allOf" or "$defs" or "definitions":
                    break;
                case "properties" when keyword.Value.ValueKind == JsonValueKind.Object:
                    foreach (var property in keyword.Value.EnumerateObject())
                    {
                        Set(Properties, property.Name, property.Value);
                    }
                    break;
                case "required" when keyword.Value.ValueKind == JsonValueKind.Array:
                    foreach (var name in keyword.Value.EnumerateArray())
                    {
                        if (name.ValueKind == JsonValueKind.String && !Required.Contains(name.GetString()!))
                        {
                            Required.Add(name.GetString()!);
                        }
                    }
                    break;
                default:
                    Set(Keywords, keyword.Name, keyword.Value);
                    break;
            }
        }
    }

    private static void Set(List<KeyValuePair<string, JsonElement>> list, string key, JsonElement value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Key == key)
            {
                list[i] = new(key, value);
                return;
            }
        }
        list.Add(new(key, value));
    }
}
