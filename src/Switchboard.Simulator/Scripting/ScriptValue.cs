using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Simulator.Hosting;

namespace Switchboard.Simulator.Scripting;

/// <summary>Typed accessors for one script field that report the field name on a type mismatch.</summary>
internal readonly struct ScriptValue(JsonElement value, string name)
{
    public bool IsNull => value.ValueKind == JsonValueKind.Null;

    public int NonNegativeInt()
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < 0)
        {
            throw Invalid("a non-negative integer");
        }

        return number;
    }

    public int StatusCode()
    {
        var status = NonNegativeInt();
        // Informational codes cannot be a final response, so they are rejected rather than sent.
        return status is >= 200 and <= 599 ? status : throw Invalid("an HTTP status code (200-599)");
    }

    public string String() =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid("a string");

    public bool Bool() => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid("a boolean"),
    };

    public JsonElement Object() =>
        value.ValueKind == JsonValueKind.Object ? value : throw Invalid("an object");

    /// <summary>Any JSON value re-serialized compactly, so the answer does not depend on how the script was formatted.</summary>
    public string CompactJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ResponseBodies.JsonOptions))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public ScriptedUsage Usage()
    {
        var usage = Object();
        var prompt = OptionalInt(usage, "prompt_tokens");
        var read = OptionalInt(usage, "cache_read_tokens");
        var write = OptionalInt(usage, "cache_write_tokens");

        // prompt_tokens counts cached tokens too (OpenAI's rule); a smaller total cannot be mapped onto
        // Anthropic's cache-exclusive input_tokens, so it is rejected instead of silently clamped.
        if (prompt < (read ?? 0) + (write ?? 0))
        {
            throw Invalid("an object whose prompt_tokens includes cache_read_tokens + cache_write_tokens");
        }

        return new ScriptedUsage(prompt, OptionalInt(usage, "completion_tokens"), read, write,
            OptionalInt(usage, "reasoning_tokens"), OptionalInt(usage, "image_tokens"));
    }

    public IReadOnlyList<ScriptedToolCall> ToolCalls()
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("an array of {name, arguments}");
        }

        var calls = new List<ScriptedToolCall>(value.GetArrayLength());
        foreach (var call in value.EnumerateArray())
        {
            if (call.ValueKind != JsonValueKind.Object
                || !call.TryGetProperty("name", out var callName)
                || callName.ValueKind != JsonValueKind.String)
            {
                throw Invalid("an array of {name, arguments} with a string name");
            }

            calls.Add(new ScriptedToolCall(callName.GetString()!, Arguments(call)));
        }

        return calls;
    }

    // Arguments are a JSON string on the wire; an object is accepted too because it is easier to write in tests.
    private string Arguments(JsonElement call)
    {
        if (!call.TryGetProperty("arguments", out var arguments) || arguments.ValueKind == JsonValueKind.Null)
        {
            return "{}";
        }

        return arguments.ValueKind switch
        {
            JsonValueKind.String => arguments.GetString()!,
            JsonValueKind.Object => arguments.GetRawText(),
            _ => throw Invalid("an array whose arguments are JSON strings"),
        };
    }

    private int? OptionalInt(JsonElement usage, string field)
    {
        if (!usage.TryGetProperty(field, out var number) || number.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return new ScriptValue(number, $"{name}.{field}").NonNegativeInt();
    }

    private ScriptFormatException Invalid(string expected) =>
        new($"Invalid simulator script: '{name}' must be {expected}.");
}
