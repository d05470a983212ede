using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary>Validates a Chat Completions body the way OpenAI does and extracts the script.</summary>
internal static class OpenAIChatRequestParser
{
    // OpenAI's own wording, so gateway error pass-through can be compared with the real thing.
    private const string UnparseableBody =
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
        + "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
        + "have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)";

    public static bool TryParse(
        byte[] body,
        string provider,
        [NotNullWhen(true)] out OpenAIChatRequest? request,
        [NotNullWhen(false)] out OpenAIRequestError? error)
    {
        request = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            error = new OpenAIRequestError(UnparseableBody, null);
            return false;
        }

        using (document)
        {
            error = Validate(body, document.RootElement, provider, out request);
            return error is null;
        }
    }

    private static OpenAIRequestError? Validate(
        byte[] body, JsonElement root, string provider, out OpenAIChatRequest? request)
    {
        request = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new OpenAIRequestError("Invalid type for request body: expected an object.", null);
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String)
        {
            return new OpenAIRequestError("Missing required parameter: 'model'.", "model");
        }

        if (!root.TryGetProperty("messages", out var messages))
        {
            return new OpenAIRequestError("Missing required parameter: 'messages'.", "messages");
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            return new OpenAIRequestError("Invalid type for 'messages': expected an array of objects.", "messages");
        }

        if (messages.GetArrayLength() == 0)
        {
            return new OpenAIRequestError(
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                "messages");
        }

        SimulatorScript? script;
        try
        {
            script = ScriptLocator.Resolve(body, root, provider);
        }
        catch (ScriptFormatException ex)
        {
            return new OpenAIRequestError(ex.Message, "simulator");
        }

        request = new OpenAIChatRequest(
            model.GetString()!,
            Stream: root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True,
            IncludeUsage: IncludeUsage(root),
            Generation(root, messages),
            script);
        return null;
    }

    private static GenerationRequest Generation(JsonElement root, JsonElement messages) => new(
        OpenAIPromptTokens.Measure(messages),
        RequestJson.Int(root, "max_completion_tokens") ?? RequestJson.Int(root, "max_tokens"),
        RequestJson.Strings(root, "stop"),
        ForcedTool(root),
        toolIdPrefix: "call_");

    /// <summary><c>tool_choice: {type:"function", function:{name}}</c> forces that one tool.</summary>
    private static string? ForcedTool(JsonElement root) =>
        RequestJson.TryGet(root, "tool_choice", out var choice)
        && RequestJson.String(choice, "type") == "function"
        && RequestJson.TryGet(choice, "function", out var function)
            ? RequestJson.String(function, "name")
            : null;

    private static bool IncludeUsage(JsonElement root) =>
        root.TryGetProperty("stream_options", out var options)
        && options.ValueKind == JsonValueKind.Object
        && options.TryGetProperty("include_usage", out var include)
        && include.ValueKind == JsonValueKind.True;
}
