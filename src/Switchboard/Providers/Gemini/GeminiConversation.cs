using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// OpenAI <c>messages</c> as Gemini sees a conversation: <c>system</c>/<c>developer</c> text lifted into
/// <c>systemInstruction</c>, the rest as <c>user</c>/<c>model</c> turns. Consecutive messages of one role are merged
/// into one turn (so parallel tool results become one turn of several <c>functionResponse</c> parts), and no turn
/// is written without parts, which Gemini rejects.
/// </summary>
internal sealed class GeminiConversation
{
    private readonly List<(string Role, List<GeminiPart> Parts)> _turns = [];

    // Tool messages carry only the call id; Gemini's functionResponse requires the function's name.
    private readonly Dictionary<string, string> _callNames = new(StringComparer.Ordinal);

    public List<string> System { get; } = [];

    public static GeminiConversation From(JsonElement request)
    {
        var conversation = new GeminiConversation();
        if (request.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                conversation.Add(message);
            }
        }
        return conversation;
    }

    public void WriteContents(Utf8JsonWriter json)
    {
        json.WriteStartArray();
        if (_turns.Count == 0)
        {
            // Only system messages: Gemini requires at least one turn, so the instruction gets an empty user turn to answer.
            _turns.Add(("user", [GeminiPart.Text(" ")]));
        }
        foreach (var (role, parts) in _turns)
        {
            json.WriteStartObject();
            json.WriteString("role"u8, role);
            json.WriteStartArray("parts"u8);
            foreach (var part in parts)
            {
                part.Write(json);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private void Add(JsonElement message)
    {
        JsonElements.TryGet(message, "content", out var content);
        switch (GeminiRequestWriter.String(message, "role"))
        {
            case "system" or "developer":
                if (Text(content) is { Length: > 0 } instruction)
                {
                    System.Add(instruction);
                }
                break;
            case "user":
                var parts = UserParts(content);
                if (parts.Count == 0)
                {
                    parts.Add(GeminiPart.Text(" ")); // Gemini rejects a user turn without a part
                }
                Append("user", parts);
                break;
            case "assistant":
                Append("model", GeminiModelTurn.Parts(message, content, _callNames));
                break;
            case "tool":
                Append("user", [ToolResult(message, content)]);
                break;
            case "function": // the legacy function-calling form names the function itself
                Append("user", [GeminiRequestWriter.String(message, "name") is { } function
                    ? GeminiPart.Response(function, Text(content), null)
                    : GeminiPart.Text($"Function result: {Text(content)}")]);
                break;
        }
    }

    private GeminiPart ToolResult(JsonElement message, JsonElement content)
    {
        var id = GeminiRequestWriter.String(message, "tool_call_id");
        var output = Text(content);
        var name = id is not null && _callNames.TryGetValue(id, out var known) ? known : GeminiRequestWriter.String(message, "name");
        // No matching call: a made-up name would be a call Gemini never made, so the result is given as plain text.
        return name is null ? GeminiPart.Text($"Result of tool call {id}: {output}") : GeminiPart.Response(name, output, id);
    }

    private void Append(string role, List<GeminiPart> parts)
    {
        if (parts.Count == 0)
        {
            return;
        }
        if (_turns.Count > 0 && _turns[^1].Role == role)
        {
            _turns[^1].Parts.AddRange(parts);
            return;
        }
        _turns.Add((role, parts));
    }

    private static List<GeminiPart> UserParts(JsonElement content)
    {
        var parts = new List<GeminiPart>();
        if (content.ValueKind == JsonValueKind.String)
        {
            if (content.GetString() is { Length: > 0 } text)
            {
                parts.Add(GeminiPart.Text(text));
            }
            return parts;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return parts;
        }
        foreach (var item in content.EnumerateArray())
        {
            var type = GeminiRequestWriter.String(item, "type");
            if (type == "text")
            {
                if (GeminiRequestWriter.String(item, "text") is { Length: > 0 } text)
                {
                    parts.Add(GeminiPart.Text(text));
                }
            }
            else if (type is not null && GeminiMedia.FromContentPart(item, type) is { } media)
            {
                parts.Add(media);
            }
        }
        return parts;
    }

    /// <summary>A message's text: the string, or its text parts joined.</summary>
    internal static string Text(JsonElement content) => JsonElements.Text(content);
}
