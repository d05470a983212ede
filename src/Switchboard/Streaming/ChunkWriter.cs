using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Streaming;

/// <summary>
/// Writes OpenAI stream chunks as SSE <c>data:</c> events into the response's buffer writer. Translators write
/// the JSON; this adds the framing and keeps count of what reached the client: the number of events, which decides
/// whether fallback is still possible, and the generated text, which prices a stream that ends without usage.
/// For a client of another dialect (<see cref="Speak"/>) the same chunks leave as that dialect's events, and a
/// provider speaking the client's dialect has its own events passed through <see cref="WriteEvent"/>.
/// </summary>
internal sealed class ChunkWriter(IBufferWriter<byte> output) : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private readonly PooledBufferWriter _chunk = new(1024);
    private readonly Utf8JsonWriter _json = new(Stream.Null, Options);

    /// <summary>Data events written so far. Zero means the client has seen no content, so another endpoint may still be tried.</summary>
    public int ChunksWritten { get; private set; }

    public GeneratedText Text { get; } = new();

    /// <summary>Set for a client of another dialect than chat completions: chunks are written as its events.</summary>
    public IDialectEvents? Dialect { get; private set; }

    /// <summary>Writes every chunk from now on through the dialect's writer, which <paramref name="create"/> makes over the output.</summary>
    public void Speak(Func<IBufferWriter<byte>, IDialectEvents> create) => Dialect ??= create(output);

    /// <summary>Set for accounts that store completions: every chunk sent is also read for its text.</summary>
    public CompletionCapture? Capture { get; set; }

    public Utf8JsonWriter Begin()
    {
        _chunk.Clear();
        _json.Reset(_chunk);
        return _json;
    }

    /// <summary>Sends the chunk written since <see cref="Begin"/>, reading it for the text it carries.</summary>
    public void End()
    {
        _json.Flush();
        Text.Observe(_chunk.WrittenSpan);
        Frame(_chunk.WrittenSpan);
    }

    /// <summary>Sends the chunk written since <see cref="Begin"/>, whose text its writer counted while writing it.</summary>
    public void End(in GeneratedTextCount counted)
    {
        _json.Flush();
        Text.Add(counted);
        Frame(_chunk.WrittenSpan);
    }

    private void Frame(ReadOnlySpan<byte> json)
    {
        Capture?.Observe(json);
        if (Dialect is { } dialect)
        {
            dialect.OnChunk(json);
        }
        else
        {
            output.Write("data: "u8);
            output.Write(json);
            output.Write("\n\n"u8);
        }
        ChunksWritten++;
    }

    /// <summary>One named event as the provider sent it (a client served by a provider that speaks its dialect).</summary>
    public void WriteEvent(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, in GeneratedTextCount generated)
    {
        Text.Add(generated);
        Dialect?.MarkStarted();
        output.Write("event: "u8);
        output.Write(name);
        output.Write("\ndata: "u8);
        output.Write(data);
        output.Write("\n\n"u8);
        ChunksWritten++;
    }

    /// <summary>The end of an OpenAI stream; another dialect's stream ends as that dialect says (<see cref="IDialectEvents.WriteDone"/>).</summary>
    public void WriteDone()
    {
        if (Dialect is null)
        {
            output.Write("data: [DONE]\n\n"u8);
        }
        else
        {
            Dialect.WriteDone();
        }
    }

    /// <summary>
    /// What a quiet stream sends so that clients and proxies keep waiting: a comment, which carries no data and leaves
    /// fallback possible; for another dialect, its own (Anthropic's <c>ping</c> event, which its SDKs skip).
    /// </summary>
    public void WriteKeepAlive(ReadOnlySpan<byte> comment)
    {
        if (Dialect is { } dialect)
        {
            dialect.WriteKeepAlive();
        }
        else
        {
            WriteComment(comment);
        }
    }

    public void WriteComment(ReadOnlySpan<byte> comment)
    {
        output.Write(": "u8);
        output.Write(comment);
        output.Write("\n\n"u8);
    }

    public void Dispose()
    {
        _json.Dispose();
        _chunk.Dispose();
    }
}
