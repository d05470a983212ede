using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// OpenAI content parts other than text (<c>image_url</c>, <c>input_audio</c>, <c>file</c>) as Gemini parts:
/// data URLs become <c>inlineData</c>, remote URLs <c>fileData</c>, which Gemini fetches itself, so the gateway
/// never downloads on the request path.
/// </summary>
internal static class GeminiMedia
{
    public static GeminiPart? FromContentPart(JsonElement part, string type) => type switch
    {
        "image_url" => part.TryGetProperty("image_url", out var image) ? FromUrl(image.ValueKind == JsonValueKind.String ? image.GetString() : GeminiRequestWriter.String(image, "url"), "image/jpeg") : null,
        "input_audio" => part.TryGetProperty("input_audio", out var audio) ? Audio(audio) : null,
        "file" => part.TryGetProperty("file", out var file) ? FromUrl(GeminiRequestWriter.String(file, "file_data") ?? GeminiRequestWriter.String(file, "file_url"), "application/pdf") : null,
        _ => null,
    };

    /// <summary>A <c>data:</c> URL, an http(s) or <c>gs://</c> URL, or (as Portkey accepts) bare base64.</summary>
    public static GeminiPart? FromUrl(string? url, string defaultMimeType)
    {
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                return null;
            }
            var header = url.AsSpan(5, comma - 5);
            var semicolon = header.IndexOf(';');
            var mime = (semicolon < 0 ? header : header[..semicolon]).ToString();
            return new GeminiPart(GeminiPartKind.InlineData, url[(comma + 1)..], mimeType: mime.Length > 0 ? mime : defaultMimeType);
        }
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("gs://", StringComparison.OrdinalIgnoreCase))
        {
            return new GeminiPart(GeminiPartKind.FileData, url, mimeType: MimeTypeFromExtension(url) ?? defaultMimeType);
        }
        return new GeminiPart(GeminiPartKind.InlineData, url, mimeType: defaultMimeType);
    }

    private static GeminiPart? Audio(JsonElement audio)
    {
        var data = GeminiRequestWriter.String(audio, "data");
        var format = GeminiRequestWriter.String(audio, "format") ?? "wav";
        return data is null ? null : new GeminiPart(GeminiPartKind.InlineData, data, mimeType: "audio/" + format);
    }

    /// <summary>Gemini requires a MIME type for <c>fileData</c>; the URL's extension is all there is to go on.</summary>
    internal static string? MimeTypeFromExtension(string url)
    {
        var path = url.AsSpan();
        var end = path.IndexOfAny('?', '#');
        if (end >= 0)
        {
            path = path[..end];
        }
        var dot = path.LastIndexOf('.');
        if (dot < 0 || dot < path.LastIndexOf('/'))
        {
            return null;
        }
        var extension = path[(dot + 1)..];
        foreach (var (ext, mime) in Extensions)
        {
            if (extension.Equals(ext, StringComparison.OrdinalIgnoreCase))
            {
                return mime;
            }
        }
        return null;
    }

    private static readonly (string Extension, string MimeType)[] Extensions =
    [
        ("jpg", "image/jpeg"), ("jpeg", "image/jpeg"), ("png", "image/png"), ("webp", "image/webp"), ("gif", "image/gif"),
        ("heic", "image/heic"), ("heif", "image/heif"), ("pdf", "application/pdf"), ("txt", "text/plain"),
        ("mp3", "audio/mp3"), ("wav", "audio/wav"), ("mp4", "video/mp4"), ("webm", "video/webm"),
    ];
}
