using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// The gateway's OpenAI stream (<c>chat.completion.chunk</c> objects) as the Responses API's typed events, written as
/// each chunk arrives and numbered by <c>sequence_number</c>: <c>response.created</c> and <c>response.in_progress</c>
/// on the first chunk; one output item per kind of output (reasoning, the message, each function call), opened with
/// <c>response.output_item.added</c>, filled by deltas and closed with the <c>.done</c> events; and
/// <c>response.completed</c> (or <c>response.incomplete</c>) with the whole response and its priced usage on the
/// usage chunk that ends the gateway's stream, or <c>response.failed</c> on the gateway's error chunk.
/// </summary>
/// <remarks>
/// Reasoning and the message are one open item at a time, as models produce them; function calls stay open until the
/// end, so the argument fragments of parallel calls, which may interleave, each go to their own item. The text of each
/// item is kept, because its <c>.done</c> events and the final response repeat it whole. Writes through
/// <see cref="ThreadJsonWriter"/>: call it synchronously, not while that writer is in use elsewhere.
/// </remarks>
internal sealed class ResponsesEventWriter(IBufferWriter<byte> output, ResponsesEcho echo, TimeProvider time) : Streaming.IDialectEvents
{
    private readonly List<Item> _items = [];
    /// <summary>OpenAI tool-call index → its function_call item.</summary>
    private readonly Dictionary<int, Item> _calls = [];
    private Item? _open;
    private int? _lastToolCall;
    private long _sequence;
    private bool _started;
    private string _id = "";
    private string _model = "";
    private long _createdAt;
    private string? _finishReason;

    /// <summary>True once the terminal event has been written.</summary>
    public bool Ended { get; private set; }

    public void OnChunk(ReadOnlySpan<byte> chunk)
    {
        if (Ended)
        {
            return;
        }
        using var document = JsonText.TryParse(chunk);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return;
        }
        if (!_started)
        {
            Start(root);
        }
        if (JsonValues.TryGetValue(root, "error", out var error))
        {
            Fail(error, root);
            return;
        }
        if (JsonValues.TryGetValue(root, "choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (JsonValues.TryGetValue(choice, "delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                Delta(delta);
            }
            // Remembered, not acted on: the usage chunk that follows is what ends the response.
            if (JsonValues.String(choice, "finish_reason") is { } finishReason)
            {
                _finishReason = finishReason;
            }
        }
        if (JsonValues.TryGetValue(root, "usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            Finish(usage);
        }
    }

    /// <summary>No provider speaks Responses to the gateway, so no opening event arrives from elsewhere; kept for the seam.</summary>
    public void MarkStarted() => _started = true;

    /// <summary>An SSE comment, which OpenAI's SDKs skip; nothing once ended.</summary>
    public void WriteKeepAlive()
    {
        if (!Ended)
        {
            output.Write(": OPENROUTER PROCESSING\n\n"u8);
        }
    }

    private void Start(JsonElement chunk)
    {
        _started = true;
        _id = JsonValues.String(chunk, "id") ?? "";
        _model = JsonValues.String(chunk, "model") ?? "";
        _createdAt = JsonValues.Count(chunk, "created");
        foreach (var type in (ReadOnlySpan<string>)["response.created", "response.in_progress"])
        {
            var json = Begin(type);
            json.WriteStartObject("response"u8);
            ResponsesOutcome.WriteHead(json, _id, _createdAt, _model, "in_progress", null, echo);
            json.WriteStartArray("output"u8);
            json.WriteEndArray();
            json.WriteNull("usage"u8);
            json.WriteEndObject();
            End(json);
        }
    }

    private void Delta(JsonElement delta)
    {
        // Models think before they answer, so a chunk carrying both is written in that order.
        var reasoned = ResponsesReasoning.TryRead(delta, out var summary, out var encrypted, envelope: false);
        var hasDetails = JsonValues.TryGetValue(delta, "reasoning_details", out var details)
            && details.ValueKind == JsonValueKind.Array && details.GetArrayLength() > 0;
        if (reasoned || hasDetails)
        {
            Reasoning(summary, encrypted);
        }
        if (hasDetails)
        {
            // Kept until the item closes, signature fragments included: signed reasoning goes back whole
            // (ResponsesReasoningEnvelope).
            foreach (var entry in details.EnumerateArray())
            {
                _open!.Details.Add(entry.Clone());
            }
        }
        if (JsonValues.String(delta, "content") is { Length: > 0 } text)
        {
            Text(text);
        }
        if (JsonValues.String(delta, "refusal") is { Length: > 0 } refusal)
        {
            Text(refusal);
        }
        if (JsonValues.TryGetValue(delta, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                ToolCall(call);
            }
        }
    }

    private void Reasoning(string summary, string? encrypted)
    {
        if (_open is not { Kind: ItemKind.Reasoning })
        {
            Open(new Item(ItemKind.Reasoning, ResponsesOutcome.ReasoningId(_id) + (_items.Count > 0 ? $"_{_items.Count}" : ""), _items.Count));
        }
        var item = _open!;
        if (encrypted is not null)
        {
            item.Encrypted += encrypted;
        }
        if (summary.Length == 0)
        {
            return;
        }
        if (!item.PartOpen)
        {
            item.PartOpen = true;
            var added = BeginOn(item, "response.reasoning_summary_part.added");
            WriteSummaryIndex(added);
            WriteSummaryPart(added, "");
            End(added);
        }
        item.Text.Append(summary);
        var json = BeginOn(item, "response.reasoning_summary_text.delta");
        WriteSummaryIndex(json);
        json.WriteString("delta"u8, summary);
        End(json);
    }

    private void Text(string text)
    {
        if (_open is not { Kind: ItemKind.Message })
        {
            Open(new Item(ItemKind.Message, ResponsesOutcome.MessageId(_id) + (_items.Any(i => i.Kind == ItemKind.Message) ? $"_{_items.Count}" : ""), _items.Count));
            var added = BeginOn(_open!, "response.content_part.added");
            added.WriteNumber("content_index"u8, 0);
            added.WritePropertyName("part"u8);
            ResponsesResponseWriter.WriteOutputText(added, "");
            End(added);
        }
        _open!.Text.Append(text);
        var json = BeginOn(_open, "response.output_text.delta");
        json.WriteNumber("content_index"u8, 0);
        json.WriteString("delta"u8, text);
        json.WriteStartArray("logprobs"u8);
        json.WriteEndArray();
        End(json);
    }

    /// <summary>
    /// A tool-call fragment. Fragments belong to calls by <c>index</c> (OpenAI's rule); a provider that leaves the
    /// index out gets a new call for a fragment with an id and the latest call for one without.
    /// </summary>
    private void ToolCall(JsonElement call)
    {
        var callId = JsonValues.String(call, "id");
        JsonValues.TryGetValue(call, "function", out var function);
        int key;
        if (JsonValues.TryGetValue(call, "index", out var index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out var given))
        {
            key = given;
        }
        else if (callId is not null || _lastToolCall is null)
        {
            key = _calls.Count == 0 ? 0 : _calls.Keys.Max() + 1;
        }
        else
        {
            key = _lastToolCall.Value;
        }
        _lastToolCall = key;
        if (!_calls.TryGetValue(key, out var item))
        {
            // Reasoning or text before the calls is finished; the calls stay open together until the end.
            CloseOpen();
            item = new Item(ItemKind.Call, ResponsesOutcome.CallId(_id, _calls.Count), _items.Count)
            {
                CallId = callId ?? $"call_{key}",
                Name = JsonValues.String(function, "name") ?? "",
            };
            _calls[key] = item;
            Add(item);
        }
        if (JsonValues.String(function, "arguments") is { Length: > 0 } arguments)
        {
            item.Text.Append(arguments);
            var json = BeginOn(item, "response.function_call_arguments.delta");
            json.WriteString("delta"u8, arguments);
            End(json);
        }
    }

    private void Finish(JsonElement usage)
    {
        CloseOpen();
        foreach (var call in _calls.Values.OrderBy(c => c.OutputIndex))
        {
            Close(call);
        }
        var incomplete = ResponsesOutcome.IncompleteReason(_finishReason);
        var json = Begin(incomplete is null ? "response.completed" : "response.incomplete");
        json.WriteStartObject("response"u8);
        ResponsesOutcome.WriteHead(json, _id, _createdAt, _model, incomplete is null ? "completed" : "incomplete", incomplete, echo,
            completedAt: time.GetUtcNow().ToUnixTimeSeconds());
        WriteOutput(json);
        ResponsesOutcome.WriteUsage(json, usage);
        json.WriteEndObject();
        End(json);
        Ended = true;
    }

    /// <summary>
    /// The gateway's error chunk: <c>response.failed</c>, with what was produced so far and the error, so no client
    /// takes the response for complete. Items still open stay unfinished, as OpenAI leaves them.
    /// </summary>
    private void Fail(JsonElement error, JsonElement chunk)
    {
        var status = 0;
        string? message = null;
        if (error.ValueKind == JsonValueKind.Object)
        {
            if (JsonValues.TryGetValue(error, "code", out var code))
            {
                // OpenRouter's code is the HTTP status; some providers send it as a string.
                _ = code.ValueKind == JsonValueKind.Number ? code.TryGetInt32(out status)
                    : code.ValueKind == JsonValueKind.String && int.TryParse(code.GetString(), out status);
            }
            message = JsonValues.String(error, "message");
        }
        else if (error.ValueKind == JsonValueKind.String)
        {
            message = error.GetString();
        }
        var json = Begin("response.failed");
        json.WriteStartObject("response"u8);
        ResponsesOutcome.WriteHead(json, _id, _createdAt, _model, "failed", null, echo, writeNullError: false);
        ResponsesOutcome.WriteError(json, status, string.IsNullOrEmpty(message) ? "The upstream provider failed." : message);
        WriteOutput(json);
        if (JsonValues.TryGetValue(chunk, "usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            ResponsesOutcome.WriteUsage(json, usage);
        }
        else
        {
            json.WriteNull("usage"u8);
        }
        json.WriteEndObject();
        End(json);
        Ended = true;
    }

    private void WriteOutput(Utf8JsonWriter json)
    {
        json.WriteStartArray("output"u8);
        foreach (var item in _items)
        {
            WriteItem(json, item);
        }
        json.WriteEndArray();
    }

    private void Open(Item item)
    {
        CloseOpen();
        _open = item;
        Add(item);
    }

    private void Add(Item item)
    {
        _items.Add(item);
        var json = Begin("response.output_item.added");
        json.WriteNumber("output_index"u8, item.OutputIndex);
        json.WritePropertyName("item"u8);
        WriteItem(json, item);
        End(json);
    }

    private void CloseOpen()
    {
        if (_open is { } open)
        {
            Close(open);
            _open = null;
        }
    }

    private void Close(Item item)
    {
        if (item.Kind == ItemKind.Reasoning)
        {
            SealReasoning(item);
        }
        Utf8JsonWriter json;
        switch (item.Kind)
        {
            case ItemKind.Reasoning when item.PartOpen:
                json = BeginOn(item, "response.reasoning_summary_text.done");
                WriteSummaryIndex(json);
                json.WriteString("text"u8, item.Text.ToString());
                End(json);
                json = BeginOn(item, "response.reasoning_summary_part.done");
                WriteSummaryIndex(json);
                WriteSummaryPart(json, item.Text.ToString());
                End(json);
                break;
            case ItemKind.Message:
                json = BeginOn(item, "response.output_text.done");
                json.WriteNumber("content_index"u8, 0);
                json.WriteString("text"u8, item.Text.ToString());
                json.WriteStartArray("logprobs"u8);
                json.WriteEndArray();
                End(json);
                json = BeginOn(item, "response.content_part.done");
                json.WriteNumber("content_index"u8, 0);
                json.WritePropertyName("part"u8);
                ResponsesResponseWriter.WriteOutputText(json, item.Text.ToString());
                End(json);
                break;
            case ItemKind.Call:
                json = BeginOn(item, "response.function_call_arguments.done");
                json.WriteString("name"u8, item.Name);
                json.WriteString("arguments"u8, item.Text.ToString());
                End(json);
                break;
        }
        item.Done = true;
        json = Begin("response.output_item.done");
        json.WriteNumber("output_index"u8, item.OutputIndex);
        json.WritePropertyName("item"u8);
        WriteItem(json, item);
        End(json);
    }

    /// <summary>
    /// A finished reasoning item whose fragments carry a signature: its <c>encrypted_content</c> becomes the envelope of
    /// all of them, which the provider's translation joins back into the signed block (by their <c>index</c>).
    /// </summary>
    private static void SealReasoning(Item item)
    {
        if (ResponsesReasoningEnvelope.NeedsEnvelope(item.Details))
        {
            item.Encrypted = ResponsesReasoningEnvelope.Wrap(item.Details);
        }
    }

    /// <summary>An item as it stands: in progress with what it has so far, or done with all of it.</summary>
    private void WriteItem(Utf8JsonWriter json, Item item)
    {
        var status = !item.Done ? "in_progress" : item.Kind == ItemKind.Message && ResponsesOutcome.IncompleteReason(_finishReason) is not null ? "incomplete" : "completed";
        switch (item.Kind)
        {
            case ItemKind.Reasoning:
                ResponsesResponseWriter.WriteReasoning(json, item.Id, item.Done ? item.Text.ToString() : "", item.Done ? item.Encrypted : null);
                break;
            case ItemKind.Message when !item.Done:
                json.WriteStartObject();
                json.WriteString("id"u8, item.Id);
                json.WriteString("type"u8, "message");
                json.WriteString("status"u8, status);
                json.WriteString("role"u8, "assistant");
                json.WriteStartArray("content"u8);
                json.WriteEndArray();
                json.WriteEndObject();
                break;
            case ItemKind.Message:
                ResponsesResponseWriter.WriteMessage(json, item.Id, item.Text.ToString(), status);
                break;
            case ItemKind.Call:
                ResponsesResponseWriter.WriteCall(json, item.Id, item.CallId, item.Name, item.Done ? item.Text.ToString() : "", status);
                break;
        }
    }

    private static void WriteSummaryIndex(Utf8JsonWriter json) => json.WriteNumber("summary_index"u8, 0);

    private static void WriteSummaryPart(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject("part"u8);
        json.WriteString("type"u8, "summary_text");
        json.WriteString("text"u8, text);
        json.WriteEndObject();
    }

    /// <summary>An event about one item: its <c>item_id</c> and <c>output_index</c> written.</summary>
    private Utf8JsonWriter BeginOn(Item item, string type)
    {
        var json = Begin(type);
        json.WriteString("item_id"u8, item.Id);
        json.WriteNumber("output_index"u8, item.OutputIndex);
        return json;
    }

    /// <summary><c>event: type</c>, then <c>data:</c> with one JSON object whose <c>type</c> is the event's; close with <see cref="End"/>.</summary>
    private Utf8JsonWriter Begin(string type)
    {
        output.Write("event: "u8);
        Encoding.UTF8.GetBytes(type, output);
        output.Write("\ndata: "u8);
        var json = ThreadJsonWriter.Over(output);
        json.WriteStartObject();
        json.WriteString("type"u8, type);
        json.WriteNumber("sequence_number"u8, _sequence++);
        return json;
    }

    private void End(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        output.Write("\n\n"u8);
    }

    private enum ItemKind
    {
        Reasoning,
        Message,
        Call,
    }

    private sealed class Item(ItemKind kind, string id, int outputIndex)
    {
        public ItemKind Kind { get; } = kind;
        public string Id { get; } = id;
        public int OutputIndex { get; } = outputIndex;
        public StringBuilder Text { get; } = new();
        public string? Encrypted { get; set; }
        /// <summary>A reasoning item's <c>reasoning_details</c> fragments, as the chunks carried them.</summary>
        public List<JsonElement> Details { get; } = [];
        public string CallId { get; init; } = "";
        public string Name { get; init; } = "";
        /// <summary>A reasoning item's summary part has been announced.</summary>
        public bool PartOpen { get; set; }
        public bool Done { get; set; }
    }
}
