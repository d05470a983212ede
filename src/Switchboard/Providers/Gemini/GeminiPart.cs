using System.Text.Json;

namespace Switchboard.Providers.Gemini;

internal enum GeminiPartKind
{
    Text,
    InlineData,
    FileData,
    FunctionCall,
    FunctionResponse,
}

/// <summary>
/// One <c>Part</c> of a request turn. Parts are collected before anything is written because consecutive messages
/// of one role become a single Gemini turn, and a model turn's thought signature is placed once all its parts are known.
/// </summary>
/// <param name="value">The text, the base64 data, or the JSON arguments / tool output, depending on <paramref name="kind"/>.</param>
internal sealed class GeminiPart(GeminiPartKind kind, string value, string? mimeType = null, string? name = null, string? id = null)
{
    public GeminiPartKind Kind { get; } = kind;
    public string Value { get; } = value;
    public string? MimeType { get; } = mimeType;
    public string? Name { get; } = name;
    public string? Id { get; } = id;

    /// <summary>Set once the whole turn is known: which part carries the turn's signature depends on the others.</summary>
    public string? ThoughtSignature { get; set; }

    public static GeminiPart Text(string text) => new(GeminiPartKind.Text, text);

    public static GeminiPart Call(string name, string? arguments, string? id) => new(GeminiPartKind.FunctionCall, arguments ?? "", name: name, id: id);

    public static GeminiPart Response(string name, string output, string? id) => new(GeminiPartKind.FunctionResponse, output, name: name, id: id);

    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        switch (Kind)
        {
            case GeminiPartKind.Text:
                json.WriteString("text"u8, Value);
                break;
            case GeminiPartKind.InlineData:
                json.WriteStartObject("inlineData"u8);
                json.WriteString("mimeType"u8, MimeType);
                json.WriteString("data"u8, Value);
                json.WriteEndObject();
                break;
            case GeminiPartKind.FileData:
                json.WriteStartObject("fileData"u8);
                json.WriteString("mimeType"u8, MimeType);
                json.WriteString("fileUri"u8, Value);
                json.WriteEndObject();
                break;
            case GeminiPartKind.FunctionCall:
                json.WriteStartObject("functionCall"u8);
                WriteId(json);
                json.WriteString("name"u8, Name);
                json.WritePropertyName("args"u8);
                GeminiRequestWriter.WriteObjectOr(json, Value, static w =>
                {
                    w.WriteStartObject();
                    w.WriteEndObject();
                });
                json.WriteEndObject();
                break;
            case GeminiPartKind.FunctionResponse:
                json.WriteStartObject("functionResponse"u8);
                WriteId(json);
                json.WriteString("name"u8, Name);
                json.WritePropertyName("response"u8);
                // A tool that answered with a JSON object is passed as that object; anything else is wrapped.
                GeminiRequestWriter.WriteObjectOr(json, Value, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("content"u8, Value);
                    w.WriteEndObject();
                });
                json.WriteEndObject();
                break;
        }
        if (ThoughtSignature is not null)
        {
            json.WriteString("thoughtSignature"u8, ThoughtSignature);
        }
        json.WriteEndObject();
    }

    // Gemini matches a response to its call by id when several calls of one function run in parallel.
    private void WriteId(Utf8JsonWriter json)
    {
        if (!string.IsNullOrEmpty(Id))
        {
            json.WriteString("id"u8, Id);
        }
    }
}
