using System.Buffers;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// Anthropic's SSE framing: <c>event: name</c>, then <c>data:</c> with one JSON object whose <c>type</c> is the
/// event's name, then a blank line. Each Begin returns the writer inside that object; its End closes and frames it.
/// Writes through <see cref="ThreadJsonWriter"/>, straight into the output.
/// </summary>
internal sealed class MessagesEvents(IBufferWriter<byte> output)
{
    /// <summary>The ping as Anthropic sends it, its one event with a space after the colon.</summary>
    public void Ping() => output.Write("event: ping\ndata: {\"type\": \"ping\"}\n\n"u8);

    public Utf8JsonWriter Begin(ReadOnlySpan<byte> type)
    {
        output.Write("event: "u8);
        output.Write(type);
        output.Write("\ndata: "u8);
        var json = ThreadJsonWriter.Over(output);
        json.WriteStartObject();
        json.WriteString("type"u8, type);
        return json;
    }

    public void End(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        output.Write("\n\n"u8);
    }

    /// <summary><c>content_block_start</c>, positioned inside <c>content_block</c>; close with <see cref="EndNested"/>.</summary>
    public Utf8JsonWriter BeginBlockStart(int index)
    {
        var json = Begin("content_block_start"u8);
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("content_block"u8);
        return json;
    }

    /// <summary><c>content_block_delta</c> of <paramref name="type"/>, positioned inside <c>delta</c>; close with <see cref="EndNested"/>.</summary>
    public Utf8JsonWriter BeginBlockDelta(int index, ReadOnlySpan<byte> type)
    {
        var json = Begin("content_block_delta"u8);
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("delta"u8);
        json.WriteString("type"u8, type);
        return json;
    }

    public void EndNested(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        End(json);
    }

    public void BlockStop(int index)
    {
        var json = Begin("content_block_stop"u8);
        json.WriteNumber("index"u8, index);
        End(json);
    }
}
