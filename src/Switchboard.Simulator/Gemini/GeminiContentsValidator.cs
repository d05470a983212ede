using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// <c>contents</c> and <c>systemInstruction</c>: roles, non-empty parts, valid parts, and function responses that
/// answer the function calls of the model turn right before them.
/// </summary>
internal static class GeminiContentsValidator
{
    private static readonly FrozenSet<string> ContentNames = FrozenSet.Create(StringComparer.Ordinal, "role", "parts");

    public static void CheckNames(JsonElement content, string path, List<GeminiFieldViolation> violations)
    {
        GeminiFields.CheckNames(content, path, ContentNames, violations);
        if (GeminiFields.TryGet(content, "parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var part in parts.EnumerateArray())
            {
                GeminiPartValidator.CheckNames(part, $"{path}.parts[{index++}]", violations);
            }
        }
    }

    public static string? Validate(JsonElement root)
    {
        if (!GeminiFields.TryGet(root, "contents", out var contents)
            || contents.ValueKind != JsonValueKind.Array
            || contents.GetArrayLength() == 0)
        {
            return "* GenerateContentRequest.contents: contents is not specified\n";
        }

        var index = 0;
        JsonElement? previous = null;
        foreach (var content in contents.EnumerateArray())
        {
            var error = ValidateContent(content, $"contents[{index}]") ?? FunctionResponses(content, previous);
            if (error is not null)
            {
                return error;
            }

            previous = content;
            index++;
        }

        return GeminiFields.TryGet(root, "systemInstruction", out var system)
            ? ValidateContent(system, "system_instruction")
            : null;
    }

    private static string? ValidateContent(JsonElement content, string path)
    {
        if (content.ValueKind != JsonValueKind.Object)
        {
            return GeminiFields.InvalidValue(path, "type.googleapis.com/google.ai.generativelanguage.v1beta.Content", content).Description;
        }

        // Role may be omitted (it defaults to user, e.g. for function-response turns); there is no "system" or "assistant".
        if (GeminiFields.TryGet(content, "role", out var role) && !(role.ValueEquals("user") || role.ValueEquals("model")))
        {
            return "Please use a valid role: user, model.";
        }

        if (!GeminiFields.TryGet(content, "parts", out var parts) || parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() == 0)
        {
            return $"* GenerateContentRequest.{path}.parts: contents.parts must not be empty.\n";
        }

        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            if (GeminiPartValidator.Validate(part, $"{path}.parts[{index++}]") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? FunctionResponses(JsonElement content, JsonElement? previous)
    {
        var responses = FunctionNames(content, "functionResponse");
        if (responses.Count == 0)
        {
            return null;
        }

        var calls = previous is { } turn && GeminiFields.String(turn, "role") == "model" ? FunctionNames(turn, "functionCall") : [];
        if (calls.Count == 0)
        {
            return "Please ensure that function response turn comes immediately after a function call turn.";
        }

        if (responses.Count != calls.Count)
        {
            return "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.";
        }

        foreach (var name in responses)
        {
            if (!calls.Remove(name))
            {
                return $"Please ensure that function response turn comes immediately after a function call turn: the function response \"{name}\" matches no function call of that turn.";
            }
        }

        return null;
    }

    /// <summary>Names of the <c>functionCall</c> or <c>functionResponse</c> parts of an already validated content.</summary>
    private static List<string> FunctionNames(JsonElement content, string partField)
    {
        var names = new List<string>();
        GeminiFields.TryGet(content, "parts", out var parts);
        foreach (var part in parts.EnumerateArray())
        {
            if (GeminiFields.TryGet(part, partField, out var data) && GeminiFields.String(data, "name") is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }
}
