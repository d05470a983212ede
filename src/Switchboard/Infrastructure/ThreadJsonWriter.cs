using System.Buffers;
using System.Text.Json;

namespace Switchboard.Infrastructure;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> and its buffer kept per thread, for the small JSON values every request writes
/// (its priced <c>usage</c>, its generation record's attempts): a new writer each time was a few hundred bytes of
/// garbage per request. Only for synchronous code: no await between <see cref="Start"/> and reading the buffer.
/// </summary>
internal static class ThreadJsonWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Utf8JsonWriter Start(out ArrayBufferWriter<byte> buffer)
    {
        buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        // The API serializer's escaping, so hand-written values read the same as serialized ones.
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = SwitchboardJsonContext.Api.Options.Encoder });
        writer.Reset(buffer);
        return writer;
    }
}
