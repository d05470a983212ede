using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// <c>image</c> and <c>document</c> blocks as OpenAI content parts: images as <c>image_url</c> (a data URL or the
/// given URL), PDFs as <c>file</c> parts, and plain-text documents as text. Anthropic's Files API ids mean nothing
/// to another provider, so a <c>file</c> source is refused.
/// </summary>
internal static class MessagesMedia
{
    private const string DocumentFilename = "document.pdf";

    public static string? WriteImage(Utf8JsonWriter json, JsonElement block, string path)
    {
        if (!JsonValues.TryGetValue(block, "source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            return $"{path}.source: must be an object";
        }
        string url;
        switch (JsonValues.String(source, "type"))
        {
            case "base64":
                if (DataUrl(source, $"{path}.source", out url) is { } error)
                {
                    return error;
                }
                break;
            case "url":
                if (JsonValues.String(source, "url") is not { } given)
                {
                    return $"{path}.source.url: must be a string";
                }
                url = given;
                break;
            case "file":
                return FileSource(path);
            default:
                return $"{path}.source.type: must be \"base64\" or \"url\"";
        }
        json.WriteStartObject();
        json.WriteString("type"u8, "image_url");
        json.WriteStartObject("image_url"u8);
        json.WriteString("url"u8, url);
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }

    public static string? WriteDocument(Utf8JsonWriter json, JsonElement block, string path)
    {
        if (!JsonValues.TryGetValue(block, "source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            return $"{path}.source: must be an object";
        }
        if (MessagesConversation.CacheControl(block, path, out _) is { } cacheError)
        {
            return cacheError;
        }
        switch (JsonValues.String(source, "type"))
        {
            case "base64":
                return DataUrl(source, $"{path}.source", out var dataUrl) ?? WriteFile(json, dataUrl);
            case "url":
                return JsonValues.String(source, "url") is { } url ? WriteFile(json, url) : $"{path}.source.url: must be a string";
            case "text":
                if (JsonValues.String(source, "data") is not { } text)
                {
                    return $"{path}.source.data: must be a string";
                }
                // The document's cache breakpoint stays on the text that stands for it.
                MessagesConversation.WriteTextPart(json, text, block);
                return null;
            case "content":
                return WriteContentSource(json, source, path);
            case "file":
                return FileSource(path);
            default:
                return $"{path}.source.type: must be \"base64\", \"url\", \"text\" or \"content\"";
        }
    }

    /// <summary>A document given as content: a string, or text and image blocks, each its own part.</summary>
    private static string? WriteContentSource(Utf8JsonWriter json, JsonElement source, string path)
    {
        if (!JsonValues.TryGetValue(source, "content", out var content))
        {
            return $"{path}.source.content: must be a string or an array of content blocks";
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            MessagesConversation.WriteTextPart(json, content.GetString()!, default);
            return null;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return $"{path}.source.content: must be a string or an array of content blocks";
        }
        var i = 0;
        foreach (var item in content.EnumerateArray())
        {
            var itemPath = $"{path}.source.content[{i++}]";
            var type = JsonValues.String(item, "type");
            if (type is not ("text" or "image"))
            {
                return MessagesConversation.UnexpectedBlock(item, type, itemPath, "a document's content");
            }
            if (MessagesConversation.WritePart(json, item, itemPath) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private static string? WriteFile(Utf8JsonWriter json, string fileData)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "file");
        json.WriteStartObject("file"u8);
        json.WriteString("filename"u8, DocumentFilename);
        json.WriteString("file_data"u8, fileData);
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }

    private static string? DataUrl(JsonElement source, string path, out string url)
    {
        url = "";
        if (JsonValues.String(source, "media_type") is not { Length: > 0 } mediaType)
        {
            return $"{path}.media_type: must be a string such as \"image/png\" or \"application/pdf\"";
        }
        if (JsonValues.String(source, "data") is not { } data)
        {
            return $"{path}.data: must be a base64 string";
        }
        url = $"data:{mediaType};base64,{data}";
        return null;
    }

    private static string FileSource(string path) =>
        $"{path}.source: file sources (Anthropic's Files API) are only available on Claude models";
}
