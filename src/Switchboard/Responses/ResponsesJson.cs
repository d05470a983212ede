using System.Text.Json;

namespace Switchboard.Responses;

/// <summary>Reads shared by the Responses translators and writers, none of which can throw whatever the JSON type.</summary>
internal static class ResponsesJson
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

    /// <summary>What a wrong value is, for an error message.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
