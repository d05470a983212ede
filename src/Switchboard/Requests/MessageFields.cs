using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Requests;

/// <summary>
/// Validates <c>messages</c> to the shape OpenAI's API documents, as far as any translation reads it: roles, content
/// as a string or an array of typed parts, tool calls, tool results and reasoning details. The Anthropic and Gemini
/// translations can then rely on every field they read having the JSON type they expect. Nothing is materialised:
/// names are compared as bytes, and an error's path is built only when there is an error.
/// </summary>
internal static class MessageFields
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    /// <summary>Positioned on the value of <c>messages</c>; leaves the reader on its last token.</summary>
    public static ApiError? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return ApiError.BadRequest($"'messages' must be an array of message objects, not {ChatRequestParser.Describe(reader.TokenType)}.", "messages");
        }
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadMessage(ref reader, index) is { } problem)
            {
                return problem;
            }
            index++;
        }
        return index == 0 ? ApiError.BadRequest("'messages' must contain at least one message.", "messages") : null;
    }

    private static ApiError? ReadMessage(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return ApiError.BadRequest(
                $"'messages[{index}]' must be an object with 'role' and 'content', not {ChatRequestParser.Describe(reader.TokenType)}.", $"messages[{index}]");
        }
        var roles = 0;
        var isTool = false;
        var hasToolCallId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader);
            reader.Read();
            ApiError? problem = null;
            switch (field)
            {
                case MessageField.Role:
                    // Every occurrence of a repeated key is checked: readers disagree on which one counts.
                    if (reader.TokenType != JsonTokenType.String || !IsRole(ref reader))
                    {
                        var got = reader.TokenType == JsonTokenType.String ? $"'{reader.GetString()}'" : ChatRequestParser.Describe(reader.TokenType);
                        return ApiError.BadRequest($"'messages[{index}].role' must be one of {string.Join(", ", Roles)}; got {got}.", $"messages[{index}].role");
                    }
                    roles++;
                    isTool |= reader.ValueTextEquals("tool"u8);
                    break;
                case MessageField.Content:
                    problem = ContentParts.Read(ref reader, index);
                    break;
                case MessageField.ToolCallId:
                    hasToolCallId |= reader.TokenType == JsonTokenType.String;
                    if (!JsonShape.IsString(reader, nullable: true))
                    {
                        problem = JsonShape.Wrong($"messages[{index}].tool_call_id", "the id of the tool call this answers", reader.TokenType);
                    }
                    break;
                case MessageField.ToolCalls:
                    problem = ToolCallFields.ReadCalls(ref reader, index);
                    break;
                case MessageField.FunctionCall:
                    problem = ToolCallFields.ReadLegacyCall(ref reader, index);
                    break;
                case MessageField.ReasoningDetails:
                    problem = ReadReasoningDetails(ref reader, index);
                    break;
                case MessageField.Name:
                    if (!JsonShape.IsString(reader, nullable: true))
                    {
                        problem = JsonShape.Wrong($"messages[{index}].name", "a string", reader.TokenType);
                    }
                    break;
            }
            if (problem is not null)
            {
                return problem;
            }
            reader.Skip();
        }
        if (roles == 0)
        {
            return ApiError.BadRequest($"'messages[{index}].role' must be one of {string.Join(", ", Roles)}; got nothing.", $"messages[{index}].role");
        }
        return isTool && !hasToolCallId
            ? JsonShape.Missing($"messages[{index}].tool_call_id", "a tool message answers the tool call with this id")
            : null;
    }

    /// <summary>
    /// <c>reasoning_details</c> sent back from an earlier answer: entries whose text, signature and data are strings,
    /// which the Claude and Gemini translations return to the provider.
    /// </summary>
    private static ApiError? ReadReasoningDetails(ref Utf8JsonReader reader, int message)
    {
        if (!JsonShape.IsArray(reader, nullable: true))
        {
            return JsonShape.Wrong($"messages[{message}].reasoning_details", "an array of reasoning entries", reader.TokenType);
        }
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var entry = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return JsonShape.Wrong(EntryPath(), "an object", reader.TokenType);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("text"u8) ? "text" : reader.ValueTextEquals("signature"u8) ? "signature"
                    : reader.ValueTextEquals("data"u8) ? "data" : reader.ValueTextEquals("format"u8) ? "format"
                    : reader.ValueTextEquals("type"u8) ? "type" : reader.ValueTextEquals("index"u8) ? "index" : null;
                var isIndex = name == "index";
                var isText = name is not null && !isIndex;
                reader.Read();
                if (isText && !JsonShape.IsString(reader, nullable: true))
                {
                    return JsonShape.Wrong($"{EntryPath()}.{name}", "a string", reader.TokenType);
                }
                if (isIndex && reader.TokenType is not (JsonTokenType.Number or JsonTokenType.Null))
                {
                    return JsonShape.Wrong($"{EntryPath()}.{name}", "a number", reader.TokenType);
                }
                reader.Skip();
            }
            entry++;
        }
        return null;

        string EntryPath() => $"messages[{message}].reasoning_details[{entry}]";
    }

    private static MessageField Field(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("role"u8) ? MessageField.Role
        : reader.ValueTextEquals("content"u8) ? MessageField.Content
        : reader.ValueTextEquals("tool_calls"u8) ? MessageField.ToolCalls
        : reader.ValueTextEquals("tool_call_id"u8) ? MessageField.ToolCallId
        : reader.ValueTextEquals("name"u8) ? MessageField.Name
        : reader.ValueTextEquals("reasoning_details"u8) ? MessageField.ReasoningDetails
        : reader.ValueTextEquals("function_call"u8) ? MessageField.FunctionCall
        : MessageField.Other;

    /// <summary>One of <see cref="Roles"/>, most frequent first.</summary>
    private static bool IsRole(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("user"u8) || reader.ValueTextEquals("assistant"u8) || reader.ValueTextEquals("system"u8)
        || reader.ValueTextEquals("tool"u8) || reader.ValueTextEquals("developer"u8) || reader.ValueTextEquals("function"u8);

    private enum MessageField
    {
        Other,
        Role,
        Content,
        ToolCalls,
        ToolCallId,
        Name,
        ReasoningDetails,
        FunctionCall,
    }
}
