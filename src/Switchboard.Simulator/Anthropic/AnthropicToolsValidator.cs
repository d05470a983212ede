using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary><c>tools</c>, <c>tool_choice</c> and <c>thinking</c>, including the rules that tie them together.</summary>
internal static class AnthropicToolsValidator
{
    /// <param name="maxTokens">The request's <c>max_tokens</c>; null for <c>count_tokens</c>, which has none to check a budget against.</param>
    /// <param name="forcedTool">The tool named by <c>tool_choice: {type:"tool", name}</c>, else null.</param>
    public static string? Validate(JsonElement root, int? maxTokens, bool historyUsesTools, out string? forcedTool)
    {
        forcedTool = null;
        var hasTools = RequestJson.TryGet(root, "tools", out var tools);
        if (ValidateTools(tools, hasTools) is { } toolsError)
        {
            return toolsError;
        }

        if (historyUsesTools && !hasTools)
        {
            return "Requests which include `tool_use` or `tool_result` blocks must define tools.";
        }

        string? choiceType = null;
        if (RequestJson.TryGet(root, "tool_choice", out var choice))
        {
            choiceType = RequestJson.String(choice, "type");
            if (choiceType is not ("auto" or "any" or "tool" or "none"))
            {
                return $"tool_choice: Input tag '{choiceType}' found using 'type' does not match any of the expected tags: "
                    + "'auto', 'any', 'tool', 'none'";
            }

            if (choiceType == "tool" && (forcedTool = RequestJson.String(choice, "name")) is null)
            {
                return "tool_choice.tool.name: Field required";
            }

            if (!hasTools && choiceType != "none")
            {
                return "tool_choice may only be specified while providing tools.";
            }
        }

        return ValidateThinking(root, maxTokens, forcesTool: choiceType is "any" or "tool");
    }

    private static string? ValidateTools(JsonElement tools, bool present)
    {
        if (!present)
        {
            return null;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            return "tools: Input should be a valid list";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            // Server tools (web_search_…, bash_…) have a versioned type and no schema; client tools need one.
            var custom = RequestJson.String(tool, "type") is null or "custom";
            if (AnthropicBlockValidator.Required(tool, $"tools.{index}", "name") is { } nameError)
            {
                return nameError;
            }

            if (custom && (!RequestJson.TryGet(tool, "input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object))
            {
                return $"tools.{index}.custom.input_schema: Field required";
            }

            if (!names.Add(tool.GetProperty("name").GetString()!))
            {
                return "tools: Tool names must be unique.";
            }

            index++;
        }

        return null;
    }

    private static string? ValidateThinking(JsonElement root, int? maxTokens, bool forcesTool)
    {
        if (!RequestJson.TryGet(root, "thinking", out var thinking))
        {
            return null;
        }

        var type = RequestJson.String(thinking, "type");
        if (type is not ("enabled" or "disabled" or "adaptive"))
        {
            return $"thinking: Input tag '{type}' found using 'type' does not match any of the expected tags: "
                + "'enabled', 'disabled', 'adaptive'";
        }

        if (type == "disabled")
        {
            return null;
        }

        if (forcesTool)
        {
            return "Thinking may not be enabled when tool_choice forces tool use.";
        }

        if (type == "adaptive")
        {
            return null;
        }

        return RequestJson.Int(thinking, "budget_tokens") switch
        {
            null => "thinking.enabled.budget_tokens: Field required",
            < 1024 => "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
            var budget when budget >= maxTokens =>
                "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at "
                + "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size",
            _ when RequestJson.TryGet(root, "temperature", out var temperature) && temperature.GetDouble() != 1 =>
                "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at "
                + "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility",
            _ => null,
        };
    }
}
