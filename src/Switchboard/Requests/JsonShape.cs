using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Requests;

/// <summary>
/// Small checks of the JSON type of one value, for the readers that validate a request's shape. Each leaves the
/// reader where it found it; the caller skips or descends. Errors name the field by its path, built only on failure.
/// </summary>
internal static class JsonShape
{
    /// <summary>A string; null too when <paramref name="nullable"/>.</summary>
    public static bool IsString(in Utf8JsonReader reader, bool nullable = false) =>
        reader.TokenType == JsonTokenType.String || (nullable && reader.TokenType == JsonTokenType.Null);

    public static bool IsObject(in Utf8JsonReader reader, bool nullable = false) =>
        reader.TokenType == JsonTokenType.StartObject || (nullable && reader.TokenType == JsonTokenType.Null);

    public static bool IsArray(in Utf8JsonReader reader, bool nullable = false) =>
        reader.TokenType == JsonTokenType.StartArray || (nullable && reader.TokenType == JsonTokenType.Null);

    /// <summary><c>'path' must be {what}, not {what it is}.</c> with the path as <c>param</c>.</summary>
    public static ApiError Wrong(string path, string expected, JsonTokenType actual) =>
        ApiError.BadRequest($"'{path}' must be {expected}, not {ChatRequestParser.Describe(actual)}.", path);

    public static ApiError Missing(string path, string expected) =>
        ApiError.BadRequest($"'{path}' is required: {expected}.", path);
}
