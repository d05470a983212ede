using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Simulator.Gemini;

/// <summary>One <c>Part</c>: exactly one data field (<c>text</c>, <c>inlineData</c>, …) plus optional flags.</summary>
internal static class GeminiPartValidator
{
    private const string StructType = "type.googleapis.com/google.protobuf.Struct";

    private static readonly string[] DataFields =
        ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"];

    private static readonly FrozenSet<string> Names = FrozenSet.Create(
        StringComparer.Ordinal,
        [.. DataFields, "thought", "thoughtSignature", "videoMetadata", "partMetadata", "mediaResolution"]);

    private static readonly FrozenDictionary<string, FrozenSet<string>> DataNames = new Dictionary<string, FrozenSet<string>>
    {
        ["inlineData"] = FrozenSet.Create(StringComparer.Ordinal, "mimeType", "data", "displayName"),
        ["fileData"] = FrozenSet.Create(StringComparer.Ordinal, "mimeType", "fileUri", "displayName"),
        ["functionCall"] = FrozenSet.Create(StringComparer.Ordinal, "id", "name", "args", "partialArgs", "willContinue"),
        ["functionResponse"] = FrozenSet.Create(StringComparer.Ordinal, "id", "name", "response", "parts", "willContinue", "scheduling"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static void CheckNames(JsonElement part, string path, List<GeminiFieldViolation> violations)
    {
        GeminiFields.CheckNames(part, path, Names, violations);
        foreach (var (field, names) in DataNames)
        {
            if (GeminiFields.TryGet(part, field, out var data))
            {
                GeminiFields.CheckNames(data, $"{path}.{GeminiFields.ToSnake(field)}", names, violations);
            }
        }
    }

    public static string? Validate(JsonElement part, string path)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            return GeminiFields.InvalidValue(path, "type.googleapis.com/google.ai.generativelanguage.v1beta.Part", part).Description;
        }

        string? data = null;
        foreach (var field in DataFields)
        {
            if (GeminiFields.TryGet(part, field, out _))
            {
                if (data is not null)
                {
                    return $"Invalid value at '{path}' (oneof), oneof field 'data' is already set. Cannot set '{field}'";
                }

                data = field;
            }
        }

        GeminiFields.TryGet(part, data ?? "text", out var value);
        return data switch
        {
            null => $"* GenerateContentRequest.{path}.data: required oneof field 'data' must have one initialized field\n",
            "text" when value.ValueKind != JsonValueKind.String => GeminiFields.InvalidValue($"{path}.text", "TYPE_STRING", value).Description,
            "inlineData" => Required(value, $"{path}.inline_data", "mimeType", "data"),
            "fileData" => Required(value, $"{path}.file_data", "fileUri"),
            "functionCall" => Required(value, $"{path}.function_call", "name") ?? Struct(value, "args", $"{path}.function_call.args", optional: true),
            "functionResponse" => Required(value, $"{path}.function_response", "name")
                ?? Struct(value, "response", $"{path}.function_response.response", optional: false),
            _ => null,
        };
    }

    private static string? Required(JsonElement data, string path, params ReadOnlySpan<string> fields)
    {
        foreach (var field in fields)
        {
            if (GeminiFields.String(data, field) is not { Length: > 0 })
            {
                return field == "name"
                    ? $"* GenerateContentRequest.{path}.name: Name cannot be empty.\n"
                    : $"* GenerateContentRequest.{path}.{GeminiFields.ToSnake(field)}: a non-empty string is required.\n";
            }
        }

        return null;
    }

    private static string? Struct(JsonElement data, string field, string path, bool optional)
    {
        if (!GeminiFields.TryGet(data, field, out var value))
        {
            return optional ? null : $"* GenerateContentRequest.{path}: a JSON object is required.\n";
        }

        return value.ValueKind == JsonValueKind.Object ? null : GeminiFields.InvalidValue(path, StructType, value).Description;
    }
}
