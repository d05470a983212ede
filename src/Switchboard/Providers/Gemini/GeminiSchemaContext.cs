using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// The root of one schema being cleaned, for resolving local <c>$ref</c>s, and the references being expanded on
/// the current path: Gemini's Schema has no references, so a recursive schema must be cut somewhere.
/// </summary>
internal sealed class GeminiSchemaContext(JsonElement root)
{
    private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);

    public bool IsExpanding(string reference) => _expanding.Contains(reference);

    public void Enter(List<string> references) => _expanding.UnionWith(references);

    public void Leave(List<string> references) => _expanding.ExceptWith(references);

    public bool Enter(string reference) => _expanding.Add(reference);

    public void Leave(string reference) => _expanding.Remove(reference);

    /// <summary>Resolves a JSON pointer into this schema (<c>#/$defs/Name</c>, <c>#/definitions/Name</c>, <c>#</c>).</summary>
    public bool TryResolve(string reference, out JsonElement target)
    {
        target = root;
        if (reference == "#")
        {
            return true;
        }
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return false; // remote references are not fetched
        }
        foreach (var raw in reference[2..].Split('/'))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(segment, out var next))
            {
                target = next;
            }
            else if (target.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index >= 0 && index < target.GetArrayLength())
            {
                target = target[index];
            }
            else
            {
                return false;
            }
        }
        return true;
    }
}
