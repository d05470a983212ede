using System.Text.Json;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Infrastructure;
using Switchboard.Routing;

namespace Switchboard.Requests;

/// <summary>
/// Reads a chat completion request in one forward pass with <see cref="Utf8JsonReader"/>: records where each
/// top-level property sits, pulls out the fields the gateway acts on and validates them with messages that say
/// exactly what is wrong. Everything else is skipped, never materialised.
/// </summary>
internal static class ChatRequestParser
{
    /// <summary>
    /// How deeply a request may nest (tool schemas nest deepest). Translations parse the body again with this same
    /// limit, so no body that passed here fails there.
    /// </summary>
    public const int MaxDepth = 256;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Where a parse collects property positions before copying out exactly as many as the request has.</summary>
    [ThreadStatic]
    private static JsonPropertySpan[]? t_properties;

    public static bool TryParse(ReadOnlyMemory<byte> body, out ChatRequest? request, out ApiError? error) =>
        TryParse(body, RequestDefaults.None, out request, out error);

    /// <param name="defaults">The account's settings for what the request leaves out.</param>
    public static bool TryParse(ReadOnlyMemory<byte> body, RequestDefaults defaults, out ChatRequest? request, out ApiError? error)
    {
        request = null;
        try
        {
            // Strings are checked first, so that no reader after this one (the translations included) can meet a
            // string that does not convert: the OpenAI-compatible path would pass it on, the others throw on it.
            var invalid = JsonText.FindInvalidString(body.Span, ReaderOptions);
            error = invalid >= 0 ? JsonRequestBody.NotText(body.Span, invalid, ReaderOptions) : Parse(body, defaults, out request);
        }
        catch (JsonException ex)
        {
            error = ApiError.BadRequest($"Request body is not valid JSON: {ex.Message}");
        }
        return error is null;
    }

    private static ApiError? Parse(ReadOnlyMemory<byte> body, RequestDefaults defaults, out ChatRequest? request)
    {
        request = null;
        var reader = new Utf8JsonReader(body.Span, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ApiError.BadRequest("Request body must be a JSON object.");
        }

        var properties = t_properties ??= new JsonPropertySpan[16];
        var propertyCount = 0;
        var parameters = default(RequestParameters);
        string? model = null;
        List<string>? models = null;
        var stream = false;
        var wantsUsage = false;
        var hasMessages = false;
        var limits = default(OutputLimits);
        var choices = 1;
        long predictionBytes = 0;
        var reasoning = default(ReasoningFields);
        string? user = null;
        JsonPropertySpan[] streamOptionsOther = [];
        var provider = ProviderPreferences.Default;
        var tools = 0;
        var jsonOutput = JsonOutput.None;
        AutoRouterPlugin? autoRouter = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var name = RequestFieldNames.Read(ref reader);
            reader.Read();
            ApiError? problem = null;
            switch (name)
            {
                case "model":
                    problem = ChatRequestFields.ReadOptionalString(ref reader, "model", out model);
                    break;
                case "models":
                    problem = ChatRequestFields.ReadModels(ref reader, out models);
                    break;
                case "messages":
                    problem = MessageFields.Read(ref reader);
                    hasMessages = true;
                    break;
                case "stream":
                    problem = ChatRequestFields.ReadOptionalBool(ref reader, "stream", out var s);
                    stream = s ?? false;
                    break;
                case "stream_options":
                    problem = ChatRequestFields.ReadStreamOptions(ref reader, out var include, out streamOptionsOther);
                    wantsUsage |= include;
                    break;
                case "usage":
                    problem = ChatRequestFields.ReadLegacyUsage(ref reader, out var legacyInclude);
                    wantsUsage |= legacyInclude;
                    break;
                case "max_tokens" or "max_completion_tokens":
                    problem = ChatRequestFields.ReadMaxTokens(ref reader, name, out var max);
                    limits.Add(name, max);
                    break;
                case "n":
                    problem = ChatRequestFields.ReadChoices(ref reader, out var n);
                    choices = Math.Max(choices, n);
                    break;
                case "prediction":
                    // Rejected prediction tokens are billed as output: the prediction's length joins the output allowance.
                    var predictionStart = reader.TokenStartIndex;
                    reader.Skip();
                    predictionBytes += reader.BytesConsumed - predictionStart;
                    break;
                case "reasoning":
                    problem = reasoning.ReadObject(ref reader);
                    break;
                case "reasoning_effort":
                    reasoning.ReadTopLevelEffort(ref reader);
                    break;
                case "include_reasoning":
                    reasoning.ReadInclude(ref reader);
                    break;
                case "user":
                    problem = ChatRequestFields.ReadOptionalString(ref reader, "user", out user);
                    break;
                case "provider":
                    problem = ProviderPreferencesParser.Parse(ref reader, out provider);
                    break;
                case "response_format":
                    problem = ToolFields.ReadResponseFormat(ref reader, out var jsonSchema, out var json);
                    if (jsonSchema)
                    {
                        parameters.AddStructuredOutputs();
                    }
                    jsonOutput = jsonSchema ? JsonOutput.Schema : json ? JsonOutput.Object : JsonOutput.None;
                    break;
                case "tools":
                    problem = ToolFields.ReadTools(ref reader, out tools);
                    break;
                case "plugins":
                    problem = AutoRouterPlugin.Read(ref reader, out autoRouter);
                    break;
                case "tool_choice":
                    problem = ToolFields.ReadToolChoice(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
            if (problem is not null)
            {
                return problem;
            }
            parameters.AddField(name);
            if (propertyCount == properties.Length)
            {
                Array.Resize(ref properties, properties.Length * 2);
                t_properties = properties;
            }
            properties[propertyCount++] = new JsonPropertySpan(name, start, (int)reader.BytesConsumed - start);
        }

        if (reader.Read())
        {
            return ApiError.BadRequest("Request body must be a single JSON object.");
        }
        if (!hasMessages)
        {
            return ApiError.BadRequest("'messages' is required: send the conversation as an array of {role, content} objects.", "messages");
        }
        var requested = RequestedModels(string.IsNullOrEmpty(model) && models is null ? defaults.Model : model, models);
        if (requested.Count == 0)
        {
            return ApiError.BadRequest(
                "'model' is required: name a model such as \"openai/gpt-4o-mini\" (see GET /api/v1/models), give a 'models' list, or set a default model for the account (Settings).",
                "model");
        }
        request = new ChatRequest
        {
            Body = body,
            Properties = properties.AsSpan(0, propertyCount).ToArray(),
            Models = requested,
            Stream = stream,
            ClientWantsStreamUsage = wantsUsage,
            StreamOptionsOther = streamOptionsOther,
            Provider = provider,
            MaxTokens = limits.Sent,
            LargestOutputLimit = limits.Largest,
            Choices = choices,
            PredictionBytes = predictionBytes,
            Reasoning = reasoning.ToRequest(),
            Prompt = PromptShapeReader.Measure(body.Span),
            User = user,
            Parameters = parameters,
            Tools = tools,
            JsonOutput = jsonOutput,
            AutoRouter = autoRouter,
            ExcludeDataCollectingProviders = defaults.ExcludeDataCollectingProviders,
        };
        return null;
    }

    /// <summary><c>model</c>, then each of <c>models[]</c> not already listed (ignoring case), in one pass.</summary>
    private static List<string> RequestedModels(string? model, List<string>? models)
    {
        var requested = new List<string>(1 + (models?.Count ?? 0));
        if (!string.IsNullOrEmpty(model))
        {
            requested.Add(model);
        }
        if (models is not null)
        {
            var seen = new HashSet<string>(requested, StringComparer.OrdinalIgnoreCase);
            foreach (var fallback in models)
            {
                if (seen.Add(fallback))
                {
                    requested.Add(fallback);
                }
            }
        }
        return requested;
    }

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
