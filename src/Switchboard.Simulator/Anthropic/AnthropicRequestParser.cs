using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>
/// Validates a Messages body the way the API does, with its pydantic-style <c>field: problem</c> messages, and
/// extracts the script. Validation matters because it is how the gateway's translation into Anthropic is tested.
/// </summary>
internal static class AnthropicRequestParser
{
    /// <param name="systemMessages">
    /// The <c>mid-conversation-system</c> beta is on (Claude Code sends it): <c>system</c> messages may sit among the turns.
    /// </param>
    /// <param name="counting">
    /// A <c>count_tokens</c> body: the same messages, system and tools, but no <c>max_tokens</c> (nor any other
    /// generation field, which it rejects as extra inputs).
    /// </param>
    public static bool TryParse(
        byte[] body,
        string provider,
        bool systemMessages,
        bool counting,
        [NotNullWhen(true)] out AnthropicRequest? request,
        [NotNullWhen(false)] out string? error)
    {
        request = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            error = $"There was an error parsing the body of your request: {ex.Message}";
            return false;
        }

        using (document)
        {
            error = Validate(body, document.RootElement, provider, systemMessages, counting, out request);
            return error is null;
        }
    }

    private static string? Validate(
        byte[] body, JsonElement root, string provider, bool systemMessages, bool counting, out AnthropicRequest? request)
    {
        request = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "Input should be a valid dictionary";
        }

        if (!RequestJson.TryGet(root, "model", out var model))
        {
            return "model: Field required";
        }

        if (model.ValueKind != JsonValueKind.String)
        {
            return "model: Input should be a valid string";
        }

        int? maxTokens = null;
        if (!counting && ValidateMaxTokens(root, out maxTokens) is { } maxTokensError)
        {
            return maxTokensError;
        }

        if (!RequestJson.TryGet(root, "messages", out var messages))
        {
            return "messages: Field required";
        }

        string? forcedTool = null;
        var error = AnthropicMessagesValidator.Validate(messages, systemMessages, out var historyUsesTools)
            ?? AnthropicExtraFields.Validate(root, counting)
            ?? AnthropicSamplingValidator.Validate(root)
            ?? AnthropicToolsValidator.Validate(root, maxTokens, historyUsesTools, out forcedTool);
        if (error is not null)
        {
            return error;
        }

        SimulatorScript? script;
        try
        {
            script = ScriptLocator.Resolve(body, root, provider);
        }
        catch (ScriptFormatException ex)
        {
            return ex.Message;
        }

        var generation = new GenerationRequest(
            AnthropicPromptTokens.Measure(root), maxTokens, RequestJson.Strings(root, "stop_sequences"), forcedTool, "toolu_");
        request = new AnthropicRequest(
            model.GetString()!,
            Stream: root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True,
            generation,
            script);
        return null;
    }

    private static string? ValidateMaxTokens(JsonElement root, out int? maxTokens)
    {
        maxTokens = null;
        if (!RequestJson.TryGet(root, "max_tokens", out var element))
        {
            return "max_tokens: Field required";
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value))
        {
            return "max_tokens: Input should be a valid integer";
        }

        maxTokens = value;
        return value < 1 ? "max_tokens: Input should be greater than or equal to 1" : null;
    }
}
