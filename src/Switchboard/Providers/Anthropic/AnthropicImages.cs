using System.Text.Json;

namespace Switchboard.Providers.Anthropic;

/// <summary>Images and PDFs: data URLs become base64 sources, http(s) URLs become URL sources Claude fetches itself.</summary>
internal static class AnthropicImages
{
    public static void Write(Utf8JsonWriter json, string url, JsonElement? cacheControl) => WriteSource(json, "image", url, cacheControl);

    public static void WriteDocument(Utf8JsonWriter json, string fileData, JsonElement? cacheControl) =>
        WriteSource(json, "document", fileData.StartsWith("data:", StringComparison.Ordinal) ? fileData : $"data:application/pdf;base64,{fileData}", cacheControl);

    private static void WriteSource(Utf8JsonWriter json, string blockType, string url, JsonElement? cacheControl)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, blockType);
        json.WriteStartObject("source"u8);
        if (TrySplitDataUrl(url, out var mediaType, out var data))
        {
            json.WriteString("type"u8, "base64");
            json.WriteString("media_type"u8, mediaType);
            json.WriteString("data"u8, data);
        }
        else
        {
            json.WriteString("type"u8, "url");
            json.WriteString("url"u8, url);
        }
        json.WriteEndObject();
        if (cacheControl is { } cache)
        {
            json.WritePropertyName("cache_control"u8);
            cache.WriteTo(json);
        }
        json.WriteEndObject();
    }

    /// <summary>Splits <c>data:image/png;base64,AAAA</c> into its media type and payload.</summary>
    public static bool TrySplitDataUrl(string url, out string mediaType, out string data)
    {
        mediaType = data = "";
        if (!url.StartsWith("data:", StringComparison.Ordinal))
        {
            return false;
        }
        var marker = url.IndexOf(";base64,", StringComparison.Ordinal);
        if (marker < 0)
        {
            return false;
        }
        mediaType = url[5..marker];
        data = url[(marker + 8)..];
        return true;
    }
}
