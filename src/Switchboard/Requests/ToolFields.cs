using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Requests;

/// <summary>
/// <c>tools</c>, <c>tool_choice</c> and <c>response_format</c>, checked to the shapes OpenAI documents where a
/// translation reads them: a function tool names its function, a named tool choice names one, and a JSON schema
/// format carries its schema in an object. Schemas themselves are not checked: providers judge those.
/// </summary>
internal static class ToolFields
{
    /// <summary>Positioned on the value of <c>tools</c>; leaves the reader on its last token.</summary>
    /// <param name="count">How many tools the array declares.</param>
    public static ApiError? ReadTools(ref Utf8JsonReader reader, out int count)
    {
        count = 0;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return JsonShape.Wrong("tools", "an array of tools such as {\"type\":\"function\",\"function\":{\"name\":…}}", reader.TokenType);
        }
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadTool(ref reader, index) is { } problem)
            {
                return problem;
            }
            index++;
        }
        count = index;
        return null;
    }

    private static ApiError? ReadTool(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonShape.Wrong($"tools[{index}]", "an object such as {\"type\":\"function\",\"function\":{\"name\":…}}", reader.TokenType);
        }
        var isFunction = true; // a tool without a type is taken as a function, as the translations do
        var hasFunction = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isDefinition = reader.ValueTextEquals("function"u8);
            reader.Read();
            if (isType)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return JsonShape.Wrong($"tools[{index}].type", "a string such as \"function\"", reader.TokenType);
                }
                isFunction = reader.ValueTextEquals("function"u8);
            }
            else if (isDefinition)
            {
                if (ReadDefinition(ref reader, index) is { } problem)
                {
                    return problem;
                }
                hasFunction = true;
            }
            reader.Skip();
        }
        return !isFunction || hasFunction ? null : JsonShape.Missing($"tools[{index}].function", "a function tool defines its function: {\"name\":…, \"parameters\":{…}}");
    }

    /// <summary>A function definition: <c>name</c> a non-empty string, <c>description</c> a string, <c>parameters</c> an object.</summary>
    private static ApiError? ReadDefinition(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonShape.Wrong($"tools[{index}].function", "an object with 'name', 'description' and 'parameters'", reader.TokenType);
        }
        var hasName = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("name"u8) ? 1 : reader.ValueTextEquals("description"u8) ? 2 : reader.ValueTextEquals("parameters"u8) ? 3 : 0;
            reader.Read();
            switch (field)
            {
                case 1:
                    if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.IsEmpty)
                    {
                        return JsonShape.Wrong($"tools[{index}].function.name", "a non-empty string", reader.TokenType);
                    }
                    hasName = true;
                    break;
                case 2 when !JsonShape.IsString(reader, nullable: true):
                    return JsonShape.Wrong($"tools[{index}].function.description", "a string", reader.TokenType);
                case 3 when !JsonShape.IsObject(reader, nullable: true):
                    return JsonShape.Wrong($"tools[{index}].function.parameters", "a JSON Schema object", reader.TokenType);
            }
            reader.Skip();
        }
        return hasName ? null : JsonShape.Missing($"tools[{index}].function.name", "the name the model calls the function by");
    }

    /// <summary>
    /// <c>tool_choice</c>: <c>"none"</c>, <c>"auto"</c>, <c>"required"</c>, or an object with a <c>type</c>; a
    /// <c>function</c> choice names its function. Leaves the reader on the value's last token.
    /// </summary>
    public static ApiError? ReadToolChoice(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.ValueTextEquals("none"u8) || reader.ValueTextEquals("auto"u8) || reader.ValueTextEquals("required"u8)
                    ? null
                    : ApiError.BadRequest($"'tool_choice' must be \"none\", \"auto\", \"required\" or an object naming a function; got '{reader.GetString()}'.", "tool_choice");
            case JsonTokenType.StartObject:
                break;
            default:
                return JsonShape.Wrong("tool_choice", "\"none\", \"auto\", \"required\" or an object such as {\"type\":\"function\",\"function\":{\"name\":…}}", reader.TokenType);
        }
        var isFunction = false;
        var hasType = false;
        var hasName = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isDefinition = reader.ValueTextEquals("function"u8);
            reader.Read();
            if (isType)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return JsonShape.Wrong("tool_choice.type", "a string such as \"function\"", reader.TokenType);
                }
                hasType = true;
                isFunction = reader.ValueTextEquals("function"u8);
            }
            else if (isDefinition)
            {
                if (ReadNamed(ref reader) is { } problem)
                {
                    return problem;
                }
                hasName = true;
            }
            reader.Skip();
        }
        if (!hasType)
        {
            return JsonShape.Missing("tool_choice.type", "such as \"function\"");
        }
        return isFunction && !hasName ? JsonShape.Missing("tool_choice.function", "{\"name\":…} names the function to call") : null;
    }

    private static ApiError? ReadNamed(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonShape.Wrong("tool_choice.function", "an object such as {\"name\":…}", reader.TokenType);
        }
        var hasName = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            reader.Read();
            if (isName)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return JsonShape.Wrong("tool_choice.function.name", "a string", reader.TokenType);
                }
                hasName = true;
            }
            reader.Skip();
        }
        return hasName ? null : JsonShape.Missing("tool_choice.function.name", "the name of the function to call");
    }

    /// <summary>
    /// <c>response_format</c>: null, or an object whose <c>type</c> is a string; a <c>json_schema</c> format keeps its
    /// definition in an object. <paramref name="jsonSchema"/> says whether it asks for a schema (the last <c>type</c> counts).
    /// </summary>
    /// <param name="json">The format asks for JSON (<c>json_object</c> or <c>json_schema</c>).</param>
    public static ApiError? ReadResponseFormat(ref Utf8JsonReader reader, out bool jsonSchema, out bool json)
    {
        jsonSchema = false;
        json = false;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonShape.Wrong("response_format", "an object such as {\"type\":\"json_object\"}", reader.TokenType);
        }
        var hasType = false;
        var definition = JsonTokenType.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isDefinition = reader.ValueTextEquals("json_schema"u8);
            reader.Read();
            if (isType)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return JsonShape.Wrong("response_format.type", "a string such as \"json_schema\"", reader.TokenType);
                }
                hasType = true;
                jsonSchema = reader.ValueTextEquals("json_schema"u8);
                json = jsonSchema || reader.ValueTextEquals("json_object"u8);
            }
            else if (isDefinition)
            {
                definition = reader.TokenType;
            }
            reader.Skip();
        }
        if (!hasType)
        {
            return JsonShape.Missing("response_format.type", "\"text\", \"json_object\" or \"json_schema\"");
        }
        if (definition is not (JsonTokenType.None or JsonTokenType.StartObject) && jsonSchema)
        {
            return JsonShape.Wrong("response_format.json_schema", "an object with 'name' and 'schema'", definition);
        }
        return null;
    }
}
