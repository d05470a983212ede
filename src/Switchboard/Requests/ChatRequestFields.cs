using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Requests;

/// <summary>
/// Readers for the individual request fields the gateway acts on. Each is positioned on the field's value,
/// leaves the reader on the value's last token, and returns a 400 naming the field when it is malformed.
/// </summary>
internal static class ChatRequestFields
{
    public static ApiError? ReadOptionalString(ref Utf8JsonReader reader, string field, out string? value)
    {
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null
            ? null
            : ApiError.BadRequest($"'{field}' must be a string, not {ChatRequestParser.Describe(reader.TokenType)}.", field);
    }

    public static ApiError? ReadOptionalBool(ref Utf8JsonReader reader, string field, out bool? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        return value is null && reader.TokenType != JsonTokenType.Null
            ? ApiError.BadRequest($"'{field}' must be a boolean, not {ChatRequestParser.Describe(reader.TokenType)}.", field)
            : null;
    }

    /// <summary>
    /// The most entries <c>models</c> may have. Each one is a fallback the gateway may try in turn, and nobody needs
    /// more than a handful; a cap keeps the work one request can ask for bounded (OpenRouter documents none).
    /// </summary>
    public const int MaxModels = 32;

    public static ApiError? ReadModels(ref Utf8JsonReader reader, out List<string>? models)
    {
        models = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return ApiError.BadRequest($"'models' must be an array of model ids, not {ChatRequestParser.Describe(reader.TokenType)}.", "models");
        }
        models = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } id)
            {
                return ApiError.BadRequest($"'models[{models.Count}]' must be a non-empty string.", "models");
            }
            if (models.Count == MaxModels)
            {
                return ApiError.BadRequest($"'models' may list at most {MaxModels} models.", "models");
            }
            models.Add(id);
        }
        return null;
    }

    public static ApiError? ReadStreamOptions(ref Utf8JsonReader reader, out bool includeUsage, out JsonPropertySpan[] other)
    {
        includeUsage = false;
        other = [];
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return ApiError.BadRequest($"'stream_options' must be an object, not {ChatRequestParser.Describe(reader.TokenType)}.", "stream_options");
        }
        var kept = new List<JsonPropertySpan>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var name = RequestFieldNames.Read(ref reader);
            reader.Read();
            if (name == "include_usage")
            {
                if (ReadOptionalBool(ref reader, "stream_options.include_usage", out var include) is { } problem)
                {
                    return problem;
                }
                includeUsage = include ?? false;
                continue;
            }
            reader.Skip();
            kept.Add(new JsonPropertySpan(name, start, (int)reader.BytesConsumed - start));
        }
        other = [.. kept];
        return null;
    }

    public static ApiError? ReadLegacyUsage(ref Utf8JsonReader reader, out bool include)
    {
        include = false;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isInclude = reader.ValueTextEquals("include"u8);
            reader.Read();
            include |= isInclude && reader.TokenType == JsonTokenType.True;
            reader.Skip();
        }
        return null;
    }

    public static ApiError? ReadMaxTokens(ref Utf8JsonReader reader, string field, out int? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var n) || n < 1)
        {
            return ApiError.BadRequest($"'{field}' must be a positive integer.", field);
        }
        value = n;
        return null;
    }

    /// <summary>
    /// <c>n</c>: how many choices to generate, each with the full output allowance, so the hold multiplies by it.
    /// OpenAI's range is 1 to 128; anything else (a fraction, a string, a billion) is refused here rather than
    /// passed to a provider that might read it differently.
    /// </summary>
    public static ApiError? ReadChoices(ref Utf8JsonReader reader, out int choices)
    {
        choices = 1;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var n) || n is < 1 or > MaxChoices)
        {
            return ApiError.BadRequest($"'n' must be an integer from 1 to {MaxChoices}.", "n");
        }
        choices = n;
        return null;
    }

    private const int MaxChoices = 128;
}
