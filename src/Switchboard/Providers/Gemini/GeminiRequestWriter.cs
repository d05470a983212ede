using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Catalog;
using Switchboard.Infrastructure;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Builds a Gemini <c>GenerateContentRequest</c> from the client's OpenAI body. Unlike the OpenAI-compatible
/// splice this is a real translation, so the request is read as a DOM once and written with <see cref="Utf8JsonWriter"/>;
/// fields Gemini has no counterpart for (<c>user</c>, <c>logit_bias</c>, <c>parallel_tool_calls</c>, …) are dropped.
/// </summary>
internal static class GeminiRequestWriter
{
    internal static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static PooledBufferWriter Write(ChatRequest request, CatalogEndpoint endpoint)
    {
        var output = new PooledBufferWriter(request.Body.Length + 512);
        // The depth ChatRequestParser allowed: deeply nested tool schemas must not fail here after passing there.
        using var document = JsonDocument.Parse(request.Body, new JsonDocumentOptions { MaxDepth = ChatRequestParser.MaxDepth });
        var root = document.RootElement;
        var conversation = GeminiConversation.From(root);

        using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        json.WritePropertyName("contents"u8);
        conversation.WriteContents(json);
        if (conversation.System.Count > 0)
        {
            json.WriteStartObject("systemInstruction"u8);
            json.WriteStartArray("parts"u8);
            foreach (var text in conversation.System)
            {
                json.WriteStartObject();
                json.WriteString("text"u8, text);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        GeminiTools.Write(json, root);
        GeminiGenerationConfig.Write(json, root, request.MaxTokens, endpoint.MaxCompletionTokens, request.Reasoning);
        json.WriteEndObject();
        json.Flush();
        return output;
    }

    internal static string? String(JsonElement element, string property) => JsonElements.String(element, property);

    /// <summary>
    /// Writes <paramref name="json"/> as a JSON object if it is one, else <paramref name="fallback"/>. Gemini's
    /// <c>args</c> and <c>response</c> are protobuf Structs: a bare string, array or number is rejected.
    /// </summary>
    internal static void WriteObjectOr(Utf8JsonWriter writer, string? json, Action<Utf8JsonWriter> fallback)
    {
        if (!string.IsNullOrWhiteSpace(json))
        {
            using var parsed = JsonText.TryParse(json, ChatRequestParser.MaxDepth);
            if (parsed?.RootElement.ValueKind == JsonValueKind.Object)
            {
                parsed.RootElement.WriteTo(writer);
                return;
            }
        }
        fallback(writer);
    }
}
