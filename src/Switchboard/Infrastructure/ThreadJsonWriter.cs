using System.Buffers;
using System.Text.Json;

namespace Switchboard.Infrastructure;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> (and a buffer) kept per thread, for the small JSON every request writes: its
/// response rewritten, its priced <c>usage</c>, its generation record's attempts. A new writer each time was a few
/// hundred bytes of garbage per request. Only for synchronous code: no await between taking the writer and the
/// last use of what it wrote.
/// </summary>
internal static class ThreadJsonWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The thread's writer, emptied, writing into the thread's buffer.</summary>
    public static Utf8JsonWriter Start(out ArrayBufferWriter<byte> buffer)
    {
        buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        return Over(buffer);
    }

    /// <summary>The thread's writer, emptied, writing into <paramref name="output"/>. Flush it when done.</summary>
    public static Utf8JsonWriter Over(IBufferWriter<byte> output)
    {
        // The API serializer's escaping, so hand-written values read the same as serialized ones.
        var writer = t_writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = SwitchboardJsonContext.Api.Options.Encoder });
        writer.Reset(output);
        return writer;
    }
}
