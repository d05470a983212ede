using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// Responses content parts as chat content parts: <c>input_text</c> (and <c>output_text</c>) as <c>text</c>,
/// <c>input_image</c> as <c>image_url</c>, <c>input_file</c> as <c>file</c>, <c>input_audio</c> as itself. Files
/// uploaded to OpenAI (<c>file_id</c>) live in a store this gateway does not have, so they are refused.
/// </summary>
internal static class ResponsesContent
{
    public static string? WriteParts(Utf8JsonWriter json, JsonElement parts, string path)
    {
        json.WriteStartArray();
        var i = 0;
        foreach (var part in parts.EnumerateArray())
        {
            if (WritePart(json, part, $"{path}[{i}]") is { } error)
            {
                return error;
            }
            i++;
        }
        json.WriteEndArray();
        return null;
    }

    /// <summary>Text parts joined, for a message whose role allows only text.</summary>
    public static string? JoinText(JsonElement parts, string path, out string text)
    {
        var joined = new StringBuilder();
        text = "";
        var i = 0;
        foreach (var part in parts.EnumerateArray())
        {
            switch (JsonValues.String(part, "type"))
            {
                case "input_text" or "output_text" or "text" or "refusal":
                    var value = JsonValues.String(part, "text") ?? JsonValues.String(part, "refusal");
                    if (value is null)
                    {
                        return $"{path}[{i}].text: required, a string";
                    }
                    joined.Append(value);
                    break;
                default:
                    return $"{path}[{i}].type: only text parts (input_text, output_text, refusal) are allowed here";
            }
            i++;
        }
        text = joined.ToString();
        return null;
    }

    private static string? WritePart(Utf8JsonWriter json, JsonElement part, string path)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: must be an object with a type";
        }
        switch (JsonValues.String(part, "type"))
        {
            case "input_text" or "output_text":
                if (JsonValues.String(part, "text") is not { } text)
                {
                    return $"{path}.text: required, a string";
                }
                json.WriteStartObject();
                json.WriteString("type"u8, "text");
                json.WriteString("text"u8, text);
                json.WriteEndObject();
                return null;
            case "input_image":
                return WriteImage(json, part, path);
            case "input_file":
                return WriteFile(json, part, path);
            case "input_audio":
                if (!JsonValues.TryGetValue(part, "input_audio", out var audio) || JsonValues.String(audio, "data") is null || JsonValues.String(audio, "format") is null)
                {
                    return $"{path}.input_audio: required, {{\"data\":…,\"format\":…}}";
                }
                json.WriteStartObject();
                json.WriteString("type"u8, "input_audio");
                json.WritePropertyName("input_audio"u8);
                audio.WriteTo(json);
                json.WriteEndObject();
                return null;
            case null:
                return $"{path}.type: required, such as \"input_text\"";
            case var other:
                return $"{path}.type: '{other}' is not supported; use input_text, input_image, input_file or input_audio";
        }
    }

    private static string? WriteImage(Utf8JsonWriter json, JsonElement part, string path)
    {
        if (JsonValues.TryGetValue(part, "file_id", out _))
        {
            return $"{path}.file_id: files uploaded to OpenAI are not available through this gateway; send the image as image_url (a URL or a data: URL)";
        }
        if (JsonValues.String(part, "image_url") is not { Length: > 0 } url)
        {
            return $"{path}.image_url: required, a URL or a data: URL";
        }
        if (JsonValues.TryGetValue(part, "detail", out var detail) && detail.ValueKind != JsonValueKind.String)
        {
            return $"{path}.detail: must be a string such as \"auto\"";
        }
        json.WriteStartObject();
        json.WriteString("type"u8, "image_url");
        json.WriteStartObject("image_url"u8);
        json.WriteString("url"u8, url);
        if (detail.ValueKind == JsonValueKind.String)
        {
            json.WriteString("detail"u8, detail.GetString());
        }
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }

    /// <summary>A file's data (a data: URL) or its URL, which OpenRouter's <c>file_data</c> accepts alike.</summary>
    private static string? WriteFile(Utf8JsonWriter json, JsonElement part, string path)
    {
        if (JsonValues.TryGetValue(part, "file_id", out _))
        {
            return $"{path}.file_id: files uploaded to OpenAI are not available through this gateway; send the file as file_data (a data: URL)";
        }
        var data = JsonValues.String(part, "file_data") ?? JsonValues.String(part, "file_url");
        if (data is not { Length: > 0 })
        {
            return $"{path}.file_data: required, the file as a data: URL (or file_url)";
        }
        if (JsonValues.TryGetValue(part, "filename", out var filename) && filename.ValueKind != JsonValueKind.String)
        {
            return $"{path}.filename: must be a string";
        }
        json.WriteStartObject();
        json.WriteString("type"u8, "file");
        json.WriteStartObject("file"u8);
        json.WriteString("filename"u8, filename.ValueKind == JsonValueKind.String ? filename.GetString() : "file");
        json.WriteString("file_data"u8, data);
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }
}
