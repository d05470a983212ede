using System.Text;
using System.Text.Json;

namespace Switchboard.Providers.Translation;

/// <summary>
/// Reads of a <see cref="JsonElement"/> that cannot throw, whatever the JSON type of the element or its property:
/// <see cref="JsonElement.GetProperty(string)"/>, <c>GetString</c> and <c>TryGetInt32</c> throw on the wrong type, and
/// a translation reads JSON from clients and providers alike. Strings are known to be text: every body and event is
/// checked with <see cref="Infrastructure.JsonText"/> before it is parsed.
/// </summary>
internal static class JsonElements
{
    /// <summary>The property's value when <paramref name="element"/> is an object that has it.</summary>
    public static bool TryGet(JsonElement element, string property, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out value))
        {
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>The property when it is a string, else null.</summary>
    public static string? String(JsonElement element, string property) =>
        TryGet(element, property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The property when it is an object.</summary>
    public static bool TryGetObject(JsonElement element, string property, out JsonElement value) =>
        TryGet(element, property, out value) && value.ValueKind == JsonValueKind.Object;

    /// <summary>The property when it is a number that fits an <see cref="int"/>.</summary>
    public static int? Int32(JsonElement element, string property) =>
        TryGet(element, property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    /// <summary>The property when it is a number that fits a <see cref="double"/>.</summary>
    public static double? Double(JsonElement element, string property) =>
        TryGet(element, property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) ? number : null;

    /// <summary>A message's <c>content</c> as text: the string, or its text parts joined (anything else adds nothing).</summary>
    public static string Text(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return "";
        }
        var text = new StringBuilder();
        foreach (var item in content.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                text.Append(item.GetString());
            }
            else if (String(item, "text") is { } fragment)
            {
                text.Append(fragment);
            }
        }
        return text.ToString();
    }

    /// <summary>Whether the element is the string <paramref name="text"/> (false for anything that is not a string).</summary>
    public static bool IsString(JsonElement element, string text) =>
        element.ValueKind == JsonValueKind.String && element.ValueEquals(text);
}
