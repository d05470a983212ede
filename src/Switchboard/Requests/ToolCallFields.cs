using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Requests;

/// <summary>
/// An assistant message's <c>tool_calls</c> (and the legacy <c>function_call</c>): objects with a string
/// <c>id</c> and a <c>function</c> naming the function, whose <c>arguments</c> are a JSON string (or, as some
/// clients send them, the object itself). Claude and Gemini get each call back as a block or part of their own.
/// </summary>
internal static class ToolCallFields
{
    /// <summary>Positioned on the value of <c>messages[message].tool_calls</c>; leaves the reader on its last token.</summary>
    public static ApiError? ReadCalls(ref Utf8JsonReader reader, int message)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return JsonShape.Wrong($"messages[{message}].tool_calls", "an array of tool calls", reader.TokenType);
        }
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadCall(ref reader, message, index) is { } problem)
            {
                return problem;
            }
            index++;
        }
        return null;
    }

    private static ApiError? ReadCall(ref Utf8JsonReader reader, int message, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonShape.Wrong(Path(message, index), "an object with 'id', 'type' and 'function'", reader.TokenType);
        }
        var hasId = false;
        var hasFunction = false;
        var custom = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("id"u8) ? 1 : reader.ValueTextEquals("type"u8) ? 2 : reader.ValueTextEquals("function"u8) ? 3 : 0;
            reader.Read();
            switch (field)
            {
                case 1:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return JsonShape.Wrong($"{Path(message, index)}.id", "a string", reader.TokenType);
                    }
                    hasId = true;
                    break;
                case 2:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return JsonShape.Wrong($"{Path(message, index)}.type", "a string such as \"function\"", reader.TokenType);
                    }
                    custom = !reader.ValueTextEquals("function"u8);
                    break;
                case 3:
                    if (ReadFunction(ref reader, message, index) is { } problem)
                    {
                        return problem;
                    }
                    hasFunction = true;
                    break;
            }
            reader.Skip();
        }
        if (!hasId)
        {
            return JsonShape.Missing($"{Path(message, index)}.id", "the id its tool result answers");
        }
        // Calls of custom tools carry their input elsewhere, for the providers that have them.
        return hasFunction || custom ? null : JsonShape.Missing($"{Path(message, index)}.function", "an object with the function's 'name' and 'arguments'");
    }

    /// <summary>Positioned on the value of <c>messages[message].function_call</c>; leaves the reader on its last token.</summary>
    public static ApiError? ReadLegacyCall(ref Utf8JsonReader reader, int message) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadFunction(ref reader, message, call: -1);

    /// <summary>A called function: <c>name</c> a string, <c>arguments</c> a string, an object or null.</summary>
    /// <param name="call">The index in <c>tool_calls</c>, or -1 for the legacy <c>function_call</c>.</param>
    private static ApiError? ReadFunction(ref Utf8JsonReader reader, int message, int call)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonShape.Wrong(FunctionPath(message, call), "an object with 'name' and 'arguments'", reader.TokenType);
        }
        var hasName = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            var isArguments = reader.ValueTextEquals("arguments"u8);
            reader.Read();
            if (isName)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return JsonShape.Wrong($"{FunctionPath(message, call)}.name", "a string", reader.TokenType);
                }
                hasName = true;
            }
            else if (isArguments && reader.TokenType is not (JsonTokenType.String or JsonTokenType.StartObject or JsonTokenType.Null))
            {
                return JsonShape.Wrong($"{FunctionPath(message, call)}.arguments", "a string of JSON", reader.TokenType);
            }
            reader.Skip();
        }
        return hasName ? null : JsonShape.Missing($"{FunctionPath(message, call)}.name", "the name of the function called");
    }

    // Paths are built only for an error: a valid request allocates nothing here.
    private static string FunctionPath(int message, int call) =>
        call < 0 ? $"messages[{message}].function_call" : $"{Path(message, call)}.function";

    private static string Path(int message, int index) => $"messages[{message}].tool_calls[{index}]";
}
