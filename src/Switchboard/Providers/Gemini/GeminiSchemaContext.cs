using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// The root of one schema being cleaned, for resolving local <c>$ref</c>s, and the references being expanded on
/// the current path: Gemini's Schema has no references, so a recursive schema must be cut somewhere. Inlining can
/// also multiply a schema without any cycle (each definition referring to the next one twice doubles it per level),
/// so the work is capped at <see cref="MaxNodes"/> schema objects: past it, what is left is written as <c>{}</c>
/// (any value), looser but accepted, and the request costs at most that much whatever the client sent.
/// </summary>
internal sealed class GeminiSchemaContext(JsonElement root)
{
    /// <summary>Far above any real tool schema (hundreds of objects), far below what would cost a request noticeable CPU.</summary>
    public const int MaxNodes = 10_000;

    private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);
    private int _nodesLeft = MaxNodes;

    /// <summary>Counts one schema object visited; false once the budget is spent.</summary>
    public bool TakeNode() => --_nodesLeft >= 0;

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
