using System.Text.Json;
using Switchboard.Simulator.Gemini;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Embeddings;

/// <summary>
/// Gemini's <c>models/{model}:embedContent</c> and <c>:batchEmbedContents</c>, reached through the Gemini route's
/// action split (<see cref="GeminiEndpoint"/>). Validates like the real API (unknown fields, every batch entry's
/// <c>model</c> matching the URL's, at most 100 entries, <c>taskType</c> values, text parts) and answers with
/// <see cref="EmbeddingVectors"/> of <c>outputDimensionality</c> (default 3,072). Gemini reports no usage. Latency,
/// hang, status and the whole-body faults of a script apply.
/// </summary>
internal static class GeminiEmbedEndpoint
{
    public const int DefaultDimensions = 3072;
    private const int MaxBatch = 100;
    private static readonly byte[] MalformedBody = """{"embeddings":[{"broken"""u8.ToArray();
    private static readonly HashSet<string> EntryFields = ["model", "content", "taskType", "task_type", "title", "outputDimensionality", "output_dimensionality"];
    private static readonly HashSet<string> TaskTypes =
    [
        "TASK_TYPE_UNSPECIFIED", "RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT", "SEMANTIC_SIMILARITY", "CLASSIFICATION", "CLUSTERING",
        "QUESTION_ANSWERING", "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY",
    ];

    public static bool Handles(string action) => action is "embedContent" or "batchEmbedContents";

    public static async Task RespondAsync(SimulatedExchange exchange, byte[] body, string model, string action)
    {
        var response = exchange.Http.Response;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            await GeminiErrorWriter.WriteInvalidArgumentAsync(response, Invalid($"Invalid JSON payload received. {ex.Message}", ""), exchange.Aborted);
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            var vectors = new List<float[]>();
            var invalid = action == "embedContent"
                ? ReadEntry(root, "", model, requireModel: false, vectors)
                : ReadBatch(root, model, vectors);
            if (invalid is not null)
            {
                await GeminiErrorWriter.WriteInvalidArgumentAsync(response, invalid, exchange.Aborted);
                return;
            }
            SimulatorScript? script;
            try
            {
                script = ScriptLocator.Resolve(body, root, exchange.Provider);
            }
            catch (ScriptFormatException ex)
            {
                await GeminiErrorWriter.WriteInvalidArgumentAsync(response, Invalid(ex.Message, "simulator"), exchange.Aborted);
                return;
            }
            var plan = ResponsePlanner.Create(script, new GenerationRequest(1, null, [], null, "call_"));
            if (await ScriptedOutcomes.TryAnswerEarlyAsync(exchange, plan, static (exchange, error) =>
                    GeminiErrorWriter.WriteScriptedAsync(exchange.Http.Response, error, exchange.Aborted)))
            {
                return;
            }
            var single = action == "embedContent";
            await ScriptedOutcomes.WriteWholeBodyAsync(exchange, plan, MalformedBody, (vectors, single), static (exchange, state) =>
                ResponseBodies.WriteJsonAsync(exchange.Http.Response, StatusCodes.Status200OK, state,
                    static (json, state) => Write(json, state.vectors, state.single), exchange.Aborted));
        }
    }

    private static void Write(Utf8JsonWriter json, List<float[]> vectors, bool single)
    {
        json.WriteStartObject();
        if (single)
        {
            json.WritePropertyName("embedding"u8);
            WriteEmbedding(json, vectors[0]);
        }
        else
        {
            json.WriteStartArray("embeddings"u8);
            foreach (var vector in vectors)
            {
                WriteEmbedding(json, vector);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteEmbedding(Utf8JsonWriter json, float[] vector)
    {
        json.WriteStartObject();
        json.WriteStartArray("values"u8);
        foreach (var component in vector)
        {
            json.WriteNumberValue(component);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static GeminiRequestError? ReadBatch(JsonElement root, string model, List<float[]> vectors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid("Invalid JSON payload received. Expected an object.", "");
        }
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("requests" or "simulator"))
            {
                return Invalid($"Invalid JSON payload received. Unknown name \"{property.Name}\": Cannot find field.", property.Name);
            }
        }
        if (!root.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array || requests.GetArrayLength() == 0)
        {
            return Invalid("* BatchEmbedContentsRequest.requests: requests must not be empty.", "requests");
        }
        if (requests.GetArrayLength() > MaxBatch)
        {
            return Invalid($"* BatchEmbedContentsRequest.requests: at most {MaxBatch} requests can be in one batch", "requests");
        }
        var i = 0;
        foreach (var entry in requests.EnumerateArray())
        {
            if (ReadEntry(entry, $"requests[{i}]", model, requireModel: true, vectors) is { } invalid)
            {
                return invalid;
            }
            i++;
        }
        return null;
    }

    private static GeminiRequestError? ReadEntry(JsonElement entry, string path, string model, bool requireModel, List<float[]> vectors)
    {
        var at = path.Length == 0 ? "" : $" at '{path}'";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return Invalid($"Invalid JSON payload received. Expected an object{at}.", path);
        }
        foreach (var property in entry.EnumerateObject())
        {
            if (!EntryFields.Contains(property.Name) && !(path.Length == 0 && property.Name == "simulator"))
            {
                return Invalid($"Invalid JSON payload received. Unknown name \"{property.Name}\"{at}: Cannot find field.", Join(path, property.Name));
            }
        }
        if (entry.TryGetProperty("model", out var entryModel)
            ? entryModel.ValueKind != JsonValueKind.String || entryModel.GetString() != $"models/{model}"
            : requireModel)
        {
            return Invalid($"* BatchEmbedContentsRequest.{Join(path, "model")}: model must be \"models/{model}\", the model of the request URL.", Join(path, "model"));
        }
        foreach (var name in (string[])["taskType", "task_type"])
        {
            if (entry.TryGetProperty(name, out var taskType) && (taskType.ValueKind != JsonValueKind.String || !TaskTypes.Contains(taskType.GetString()!)))
            {
                return Invalid($"Invalid value at '{Join(path, "task_type")}' (type.googleapis.com/google.ai.generativelanguage.v1beta.TaskType), {taskType.GetRawText()}", Join(path, "task_type"));
            }
        }
        var dimensions = DefaultDimensions;
        foreach (var name in (string[])["outputDimensionality", "output_dimensionality"])
        {
            if (entry.TryGetProperty(name, out var value) && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out dimensions) || dimensions is < 1 or > DefaultDimensions))
            {
                return Invalid($"* EmbedContentRequest.output_dimensionality: must be between 1 and {DefaultDimensions}.", Join(path, "output_dimensionality"));
            }
        }
        if (!entry.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object
            || !content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() == 0)
        {
            return Invalid($"* EmbedContentRequest.content: contents must not be empty.", Join(path, "content"));
        }
        var text = new System.Text.StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
            {
                return Invalid("* EmbedContentRequest.content.parts: only text parts can be embedded.", Join(path, "content.parts"));
            }
            text.Append(partText.GetString());
        }
        if (text.Length == 0)
        {
            return Invalid("* EmbedContentRequest.content: text must not be empty.", Join(path, "content"));
        }
        vectors.Add(EmbeddingVectors.ForText(text.ToString(), dimensions));
        return null;
    }

    private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    private static GeminiRequestError Invalid(string message, string field) =>
        new(message, field.Length == 0 ? [] : [new GeminiFieldViolation(field, message)]);
}
