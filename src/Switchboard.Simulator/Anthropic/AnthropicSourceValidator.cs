using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>The <c>source</c> of image and document blocks, where data-URL translation from OpenAI usually goes wrong.</summary>
internal static class AnthropicSourceValidator
{
    private const string ImageTypes = "'image/jpeg', 'image/png', 'image/gif' or 'image/webp'";

    public static string? Image(JsonElement block, string path)
    {
        if (!RequestJson.TryGet(block, "source", out var source))
        {
            return $"{path}.source: Field required";
        }

        var type = RequestJson.String(source, "type");
        var sourcePath = $"{path}.source";
        switch (type)
        {
            case "base64":
                var mediaType = RequestJson.String(source, "media_type");
                if (mediaType is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp"))
                {
                    return $"{sourcePath}.base64.media_type: Input should be {ImageTypes}";
                }

                return AnthropicBlockValidator.Required(source, $"{sourcePath}.base64", "data");
            case "url":
                return AnthropicBlockValidator.Required(source, $"{sourcePath}.url", "url");
            case "file":
                return AnthropicBlockValidator.Required(source, $"{sourcePath}.file", "file_id");
            default:
                return $"{sourcePath}: Input tag '{type}' found using 'type' does not match any of the expected tags: "
                    + "'base64', 'url', 'file'";
        }
    }

    public static string? Document(JsonElement block, string path)
    {
        if (!RequestJson.TryGet(block, "source", out var source))
        {
            return $"{path}.source: Field required";
        }

        var type = RequestJson.String(source, "type");
        return type switch
        {
            "base64" or "text" => AnthropicBlockValidator.Required(source, $"{path}.source.{type}", "media_type", "data"),
            "url" => AnthropicBlockValidator.Required(source, $"{path}.source.url", "url"),
            "file" => AnthropicBlockValidator.Required(source, $"{path}.source.file", "file_id"),
            "content" => source.TryGetProperty("content", out _) ? null : $"{path}.source.content.content: Field required",
            _ => $"{path}.source: Input tag '{type}' found using 'type' does not match any of the expected tags: "
                + "'base64', 'text', 'content', 'url', 'file'",
        };
    }
}
