using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Completions;

/// <summary>
/// What a <c>text_completion</c> object, whole or streamed, takes from the gateway's chat completion or chunk: the
/// same identity, and each choice's text where chat has a message or a delta. The reads tolerate any JSON type.
/// </summary>
internal static class TextCompletionJson
{
    /// <summary>Opens the object: <c>id</c>, <c>object</c>, <c>created</c>, <c>model</c> and <c>provider</c> of <paramref name="chat"/>.</summary>
    public static void WriteHeader(Utf8JsonWriter json, JsonElement chat)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, JsonValues.String(chat, "id") ?? "");
        json.WriteString("object"u8, "text_completion");
        json.WriteNumber("created"u8, JsonValues.Count(chat, "created"));
        json.WriteString("model"u8, JsonValues.String(chat, "model") ?? "");
        if (JsonValues.String(chat, "provider") is { } provider)
        {
            json.WriteString("provider"u8, provider);
        }
    }

    /// <summary>One choice: its text, its index, <c>logprobs: null</c> (never available through chat) and why it ended.</summary>
    public static void WriteChoice(Utf8JsonWriter json, string text, int index, JsonElement chatChoice)
    {
        json.WriteStartObject();
        json.WriteString("text"u8, text);
        json.WriteNumber("index"u8, index);
        json.WriteNull("logprobs"u8);
        WriteNullableString(json, "finish_reason"u8, JsonValues.String(chatChoice, "finish_reason"));
        if (chatChoice.TryGetProperty("native_finish_reason", out _))
        {
            WriteNullableString(json, "native_finish_reason"u8, JsonValues.String(chatChoice, "native_finish_reason"));
        }
        json.WriteEndObject();
    }

    /// <summary>The choice's <c>index</c>, or its position when a provider left it out.</summary>
    public static int Index(JsonElement chatChoice, int position) =>
        JsonValues.TryGetValue(chatChoice, "index", out var index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out var value) ? value : position;

    /// <summary>Copies <paramref name="name"/> as it is, when <paramref name="chat"/> has it.</summary>
    public static void Copy(Utf8JsonWriter json, JsonElement chat, string name)
    {
        if (JsonValues.TryGetValue(chat, name, out var value))
        {
            json.WritePropertyName(name);
            value.WriteTo(json);
        }
    }

    private static void WriteNullableString(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
