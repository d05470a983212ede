using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Requests;

/// <summary>
/// A message's <c>content</c>: a string, null, or an array of parts, each an object with a <c>type</c>. The parts
/// translations read (<c>text</c>, <c>image_url</c>, <c>input_audio</c>, <c>file</c>) must carry their payload with
/// the JSON type OpenAI documents; parts of other types pass unchecked to the providers that know them.
/// </summary>
internal static class ContentParts
{
    /// <summary>Positioned on the value of <c>messages[message].content</c>; leaves the reader on its last token.</summary>
    public static ApiError? Read(ref Utf8JsonReader reader, int message)
    {
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return JsonShape.Wrong($"messages[{message}].content", "a string or an array of content parts", reader.TokenType);
        }
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadPart(ref reader, message, index) is { } problem)
            {
                return problem;
            }
            index++;
        }
        return null;
    }

    private static ApiError? ReadPart(ref Utf8JsonReader reader, int message, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonShape.Wrong(Path(message, index), "an object such as {\"type\":\"text\",\"text\":\"…\"}", reader.TokenType);
        }
        // The payload may come before the type, so each is checked against the type once both are known.
        var type = PartType.None;
        var text = JsonTokenType.None;
        var cacheControl = JsonTokenType.None;
        ApiError? payload = null;
        var payloadType = PartType.None;
        var payloads = 0; // a bit per payload kind seen
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return JsonShape.Wrong($"{Path(message, index)}.type", "a string such as \"text\" or \"image_url\"", reader.TokenType);
                }
                type = reader.ValueTextEquals("text"u8) ? PartType.Text
                    : reader.ValueTextEquals("image_url"u8) ? PartType.Image
                    : reader.ValueTextEquals("input_audio"u8) ? PartType.Audio
                    : reader.ValueTextEquals("file"u8) ? PartType.File
                    : PartType.Other;
                continue;
            }
            var field = reader.ValueTextEquals("text"u8) ? PartType.Text
                : reader.ValueTextEquals("image_url"u8) ? PartType.Image
                : reader.ValueTextEquals("input_audio"u8) ? PartType.Audio
                : reader.ValueTextEquals("file"u8) ? PartType.File
                : PartType.None;
            var isCache = reader.ValueTextEquals("cache_control"u8);
            reader.Read();
            if (isCache)
            {
                cacheControl = reader.TokenType;
            }
            switch (field)
            {
                case PartType.Text:
                    text = reader.TokenType;
                    break;
                case PartType.Image or PartType.Audio or PartType.File:
                    // Kept until the type is known: a "file" property beside "type":"text" is the text part's business.
                    payloads |= 1 << (int)field;
                    var problem = ReadPayload(ref reader, field, message, index);
                    if (problem is not null && payload is null)
                    {
                        (payload, payloadType) = (problem, field);
                    }
                    break;
            }
            reader.Skip();
        }
        if (type == PartType.None)
        {
            return JsonShape.Missing($"{Path(message, index)}.type", "each content part says what it is, such as \"text\" or \"image_url\"");
        }
        if (cacheControl is not (JsonTokenType.None or JsonTokenType.StartObject or JsonTokenType.Null))
        {
            return JsonShape.Wrong($"{Path(message, index)}.cache_control", "an object such as {\"type\":\"ephemeral\"}", cacheControl);
        }
        if (type == PartType.Text && text != JsonTokenType.String)
        {
            return text == JsonTokenType.None
                ? JsonShape.Missing($"{Path(message, index)}.text", "a text part carries its text as a string")
                : JsonShape.Wrong($"{Path(message, index)}.text", "a string", text);
        }
        if (type is PartType.Image or PartType.Audio or PartType.File && (payloads & (1 << (int)type)) == 0)
        {
            return JsonShape.Missing($"{Path(message, index)}.{Name(type)}", $"a {Name(type)} part carries its payload in '{Name(type)}'");
        }
        return payload is not null && payloadType == type ? payload : null;
    }

    /// <summary>Positioned on an <c>image_url</c>, <c>input_audio</c> or <c>file</c> value; leaves the reader on its last token.</summary>
    private static ApiError? ReadPayload(ref Utf8JsonReader reader, PartType kind, int message, int index)
    {
        if (kind == PartType.Image && reader.TokenType == JsonTokenType.String)
        {
            return null; // OpenRouter's shorthand: the URL itself
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonShape.Wrong(PathOf(), kind == PartType.Image ? "an object such as {\"url\":\"https://…\"}" : "an object", reader.TokenType);
        }
        var required = kind switch { PartType.Image => "url", PartType.Audio => "data", _ => null };
        var found = false;
        ApiError? problem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = StringField(ref reader, kind);
            reader.Read();
            if (name is not null && problem is null && !JsonShape.IsString(reader, nullable: name != required))
            {
                problem = JsonShape.Wrong($"{PathOf()}.{name}", "a string", reader.TokenType);
            }
            found |= name is not null && name == required && reader.TokenType == JsonTokenType.String;
            reader.Skip();
        }
        return problem ?? (required is not null && !found ? JsonShape.Missing($"{PathOf()}.{required}", $"a {Name(kind)} part carries its {required} as a string") : null);

        string PathOf() => $"{Path(message, index)}.{Name(kind)}";
    }

    /// <summary>The payload's string fields that translations read.</summary>
    private static string? StringField(ref Utf8JsonReader reader, PartType kind) => kind switch
    {
        PartType.Image => reader.ValueTextEquals("url"u8) ? "url" : reader.ValueTextEquals("detail"u8) ? "detail" : null,
        PartType.Audio => reader.ValueTextEquals("data"u8) ? "data" : reader.ValueTextEquals("format"u8) ? "format" : null,
        _ => reader.ValueTextEquals("file_data"u8) ? "file_data" : reader.ValueTextEquals("file_id"u8) ? "file_id"
            : reader.ValueTextEquals("file_url"u8) ? "file_url" : reader.ValueTextEquals("filename"u8) ? "filename" : null,
    };

    private static string Name(PartType kind) => kind switch
    {
        PartType.Image => "image_url",
        PartType.Audio => "input_audio",
        _ => "file",
    };

    private static string Path(int message, int index) => $"messages[{message}].content[{index}]";

    private enum PartType
    {
        None,
        Text,
        Image,
        Audio,
        File,
        Other,
    }
}
