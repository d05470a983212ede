using System.Text.Json;

namespace Switchboard.Infrastructure;

/// <summary>
/// Reads of a client's or a gateway chunk's JSON for the ingress dialects' translators, none of which can throw
/// whatever the JSON type. An optional field sent as null means the same as one left out, so null counts as absent
/// (unlike <c>Providers/Translation/JsonElements</c>, which reads providers' JSON as it is).
/// </summary>
internal static class JsonValues
{
    /// <summary>The property when <paramref name="element"/> is an object that has it with a value other than null.</summary>
    public static bool TryGetValue(JsonElement element, string property, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>The property when it is a string, else null.</summary>
    public static string? String(JsonElement element, string property) =>
        TryGetValue(element, property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The property when it is an integer that fits a <see cref="long"/>, else 0: usage counts a provider left out.</summary>
    public static long Count(JsonElement element, string property) =>
        TryGetValue(element, property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) ? count : 0;
}
