using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Simulator.Gemini;

/// <summary><c>tools[].functionDeclarations</c> (with their schemas) and <c>toolConfig.functionCallingConfig</c>.</summary>
internal static class GeminiToolsValidator
{
    private static readonly FrozenSet<string> DeclarationNames = FrozenSet.Create(
        StringComparer.Ordinal,
        "name", "description", "parameters", "parametersJsonSchema", "response", "responseJsonSchema", "behavior");

    private static readonly FrozenSet<string> Modes = FrozenSet.Create(
        StringComparer.Ordinal, "MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED");

    public static void CheckStructure(JsonElement root, List<GeminiFieldViolation> violations)
    {
        foreach (var (declaration, path) in Declarations(root))
        {
            GeminiFields.CheckNames(declaration, path, DeclarationNames, violations);

            // parametersJsonSchema / responseJsonSchema take full JSON Schema and are deliberately not checked.
            if (GeminiFields.TryGet(declaration, "parameters", out var parameters))
            {
                GeminiSchemaValidator.Check(parameters, $"{path}.parameters", violations);
            }

            if (GeminiFields.TryGet(declaration, "response", out var response))
            {
                GeminiSchemaValidator.Check(response, $"{path}.response", violations);
            }
        }

        if (CallingConfig(root) is { } config
            && GeminiFields.TryGet(config, "mode", out var mode)
            && !(mode.ValueKind == JsonValueKind.String && Modes.Contains(mode.GetString()!)))
        {
            violations.Add(GeminiFields.InvalidValue(
                "tool_config.function_calling_config.mode",
                "type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode",
                mode));
        }
    }

    public static string? Validate(JsonElement root)
    {
        foreach (var (declaration, path) in Declarations(root))
        {
            if (GeminiFields.String(declaration, "name") is not { Length: > 0 })
            {
                return $"* GenerateContentRequest.{path}.name: Name cannot be empty.\n";
            }
        }

        return null;
    }

    /// <summary>Mode ANY with exactly one allowed function name forces that function.</summary>
    public static string? ForcedTool(JsonElement root)
    {
        if (CallingConfig(root) is not { } config
            || GeminiFields.String(config, "mode") != "ANY"
            || !GeminiFields.TryGet(config, "allowedFunctionNames", out var allowed)
            || allowed.ValueKind != JsonValueKind.Array
            || allowed.GetArrayLength() != 1)
        {
            return null;
        }

        var only = allowed[0];
        return only.ValueKind == JsonValueKind.String ? only.GetString() : null;
    }

    private static JsonElement? CallingConfig(JsonElement root) =>
        GeminiFields.TryGet(root, "toolConfig", out var toolConfig)
        && GeminiFields.TryGet(toolConfig, "functionCallingConfig", out var config)
            ? config
            : null;

    private static IEnumerable<(JsonElement Declaration, string Path)> Declarations(JsonElement root)
    {
        if (!GeminiFields.TryGet(root, "tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        var toolIndex = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            if (GeminiFields.TryGet(tool, "functionDeclarations", out var declarations) && declarations.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var declaration in declarations.EnumerateArray())
                {
                    yield return (declaration, $"tools[{toolIndex}].function_declarations[{index++}]");
                }
            }

            toolIndex++;
        }
    }
}
