using System.Buffers;
using System.Text.Json;

namespace Switchboard.Billing;

/// <summary>
/// Measures a request body into a <see cref="PromptShape"/> in one forward pass. Media parts are recognised by the
/// property that carries them, wherever they sit (user content, tool results): <c>image_url</c> (its <c>url</c>),
/// <c>input_audio</c> (its <c>data</c>), <c>file</c> (its <c>file_data</c>, <c>file_id</c> or <c>file_url</c>) and
/// <c>video_url</c>.
/// A property of that name that carries no payload (say, a tool schema's <c>"file"</c> property) is plain text.
/// </summary>
internal static class PromptShapeReader
{
    public static PromptShape Measure(ReadOnlySpan<byte> body)
    {
        var measure = new Measurement();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }
                if (reader.CurrentDepth == 1)
                {
                    var tools = reader.ValueTextEquals("tools"u8) || reader.ValueTextEquals("functions"u8) || reader.ValueTextEquals("response_format"u8);
                    reader.Read();
                    measure.HasTools |= tools && reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject;
                    if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
                    {
                        continue;
                    }
                    // The value's own properties are looked at as the loop reads on.
                    continue;
                }
                if (reader.ValueTextEquals("image_url"u8))
                {
                    reader.Read();
                    ReadImage(ref reader, body, measure);
                }
                else if (reader.ValueTextEquals("input_audio"u8))
                {
                    reader.Read();
                    ReadPayloadProperty(ref reader, "data"u8, body, measure, static (m, payload, _) => m.AudioBytes += DecodedLength(payload.Length));
                }
                else if (reader.ValueTextEquals("file"u8))
                {
                    reader.Read();
                    ReadFile(ref reader, body, measure);
                }
                else if (reader.ValueTextEquals("video_url"u8))
                {
                    reader.Read();
                    ReadPayloadProperty(ref reader, "url"u8, body, measure, static (m, _, _) =>
                    {
                        m.UnsizedMedia++;
                        m.Videos++;
                    });
                }
            }
        }
        catch (JsonException)
        {
            // The parser validated the body first; if this pass still fails, what was measured so far plus the
            // unread rest as text keeps the bound.
        }
        return measure.ToShape(body.Length);
    }

    private static void ReadImage(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, Measurement measure)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            measure.Excise(reader);
            measure.Images++;
            return;
        }
        ReadPayloadProperty(ref reader, "url"u8, body, measure, static (m, _, _) => m.Images++);
    }

    private static void ReadFile(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, Measurement measure)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        var depth = reader.CurrentDepth;
        var counted = false;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != depth + 1)
            {
                continue;
            }
            var isData = reader.ValueTextEquals("file_data"u8);
            var isId = reader.ValueTextEquals("file_id"u8) || reader.ValueTextEquals("file_url"u8) || reader.ValueTextEquals("url"u8);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String || !(isData || isId))
            {
                reader.Skip();
                continue;
            }
            measure.Excise(reader);
            if (counted)
            {
                continue; // a part is one file, however many ways it names it
            }
            counted = true;
            if (isId)
            {
                measure.UnsizedMedia++;
                measure.Files++;
                continue;
            }
            WithValue(ref reader, measure, static (m, value, _) => ClassifyFile(m, value));
        }
    }

    /// <summary>A <c>data:</c> URL's media type decides how the provider reads it; anything else is unsized.</summary>
    private static void ClassifyFile(Measurement measure, ReadOnlySpan<byte> value)
    {
        if (!DataUrl.TryParse(value, out var type, out _) || !type.StartsWith("image/"u8))
        {
            measure.Files++;
        }
        if (!DataUrl.TryParse(value, out var mediaType, out var payload))
        {
            measure.UnsizedMedia++;
            return;
        }
        if (mediaType.SequenceEqual("application/pdf"u8))
        {
            var pages = PdfPageCounter.Count(payload);
            if (pages > 0)
            {
                measure.PdfPages += pages;
            }
            else
            {
                measure.UnsizedMedia++;
            }
        }
        else if (mediaType.StartsWith("image/"u8))
        {
            measure.Images++;
        }
        else if (mediaType.StartsWith("text/"u8) || mediaType.SequenceEqual("application/json"u8) || mediaType.SequenceEqual("application/xml"u8))
        {
            measure.FileTextBytes += DecodedLength(payload.Length);
        }
        else
        {
            measure.UnsizedMedia++;
        }
    }

    /// <summary>
    /// On an object: finds <paramref name="property"/> among its own properties; when it is a string, excises it
    /// and hands its unescaped bytes to <paramref name="found"/> (once, whatever the duplicates). Anything else is skipped.
    /// </summary>
    private static void ReadPayloadProperty(
        ref Utf8JsonReader reader, ReadOnlySpan<byte> property, ReadOnlySpan<byte> body, Measurement measure, PayloadAction found)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        var depth = reader.CurrentDepth;
        var seen = false;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != depth + 1)
            {
                continue;
            }
            var matches = reader.ValueTextEquals(property);
            reader.Read();
            if (!matches || reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }
            measure.Excise(reader);
            if (!seen)
            {
                seen = true;
                WithValue(ref reader, measure, found);
            }
        }
    }

    private delegate void PayloadAction(Measurement measure, ReadOnlySpan<byte> value, int unused);

    /// <summary>The string the reader is on, unescaped (base64 may be written with <c>\/</c>).</summary>
    private static void WithValue(ref Utf8JsonReader reader, Measurement measure, PayloadAction action)
    {
        if (!reader.ValueIsEscaped)
        {
            action(measure, reader.ValueSpan, 0);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(buffer);
            action(measure, buffer.AsSpan(0, length), 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long DecodedLength(int base64Length) => (long)base64Length * 3 / 4;

    /// <summary>What the pass has counted so far.</summary>
    private sealed class Measurement
    {
        private List<Range>? _payloads; // most prompts have no media: no list for them
        private long _excised;

        public int Images;
        public int PdfPages;
        public long FileTextBytes;
        public long AudioBytes;
        public int UnsizedMedia;
        public int Files;
        public int Videos;
        public bool HasTools;

        /// <summary>The string token the reader is on is a media payload: its bytes are not text.</summary>
        public void Excise(in Utf8JsonReader reader)
        {
            var start = (int)reader.TokenStartIndex;
            var end = (int)reader.BytesConsumed;
            (_payloads ??= []).Add(start..end);
            _excised += end - start;
        }

        public PromptShape ToShape(int bodyLength) => new()
        {
            TextBytes = bodyLength - _excised,
            Images = Images,
            PdfPages = PdfPages,
            FileTextBytes = FileTextBytes,
            AudioBytes = AudioBytes,
            UnsizedMedia = UnsizedMedia,
            Files = Files,
            Videos = Videos,
            HasTools = HasTools,
            MediaPayloads = _payloads is null ? [] : _payloads,
        };
    }
}
