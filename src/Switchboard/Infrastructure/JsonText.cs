using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Switchboard.Infrastructure;

/// <summary>
/// Whether the strings of a JSON text are text. <see cref="Utf8JsonReader"/> checks a string's syntax but not its
/// content, so invalid UTF-8 and unpaired surrogate escapes (<c>"\ud800"</c>) pass the reader and only throw later,
/// wherever the string is turned into a .NET string or written again (<c>GetString</c>, <c>Utf8JsonWriter</c>).
/// Checking every string once, where a body enters, lets everything after it read strings without that risk.
/// RFC 8259 requires UTF-8 and I-JSON (RFC 7493) forbids unpaired surrogates, so nothing valid is refused.
/// </summary>
internal static class JsonText
{
    /// <summary>
    /// The offset of the first string or property name that is not valid text, or -1 when all are.
    /// Throws <see cref="JsonException"/> when the JSON itself is malformed, as reading it would.
    /// </summary>
    public static int FindInvalidString(ReadOnlySpan<byte> json, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(json, options);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !IsValid(in reader))
            {
                return (int)reader.TokenStartIndex;
            }
        }
        return -1;
    }

    /// <summary>
    /// Parses JSON that arrived inside a string (tool arguments, a tool's output), or returns null when it is not JSON
    /// or its own strings are not text: those strings were escaped one level down, so the outer check did not see them.
    /// </summary>
    public static JsonDocument? TryParse(string json, int maxDepth) => TryParse(Encoding.UTF8.GetBytes(json), maxDepth);

    /// <summary>
    /// Parses one JSON value (a provider's response or stream event) whose strings are all text, or returns null:
    /// a provider that sends anything else has failed, and its reader must say so rather than throw later.
    /// </summary>
    public static JsonDocument? TryParse(ReadOnlySpan<byte> json, int maxDepth = 64)
    {
        var options = new JsonReaderOptions { MaxDepth = maxDepth };
        try
        {
            if (FindInvalidString(json, options) >= 0)
            {
                return null;
            }
            var reader = new Utf8JsonReader(json, options);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether the string or property name the reader is on can become a .NET string.</summary>
    public static bool IsValid(in Utf8JsonReader reader) =>
        reader.HasValueSequence ? IsValid(reader.ValueSequence.ToArray(), reader.ValueIsEscaped) : IsValid(reader.ValueSpan, reader.ValueIsEscaped);

    /// <param name="raw">The string as it stands between its quotes.</param>
    /// <param name="escaped">Whether it contains escapes (<see cref="Utf8JsonReader.ValueIsEscaped"/>).</param>
    public static bool IsValid(ReadOnlySpan<byte> raw, bool escaped)
    {
        // Escapes are ASCII, so they never make the raw bytes invalid UTF-8; what they encode is checked apart.
        if (!Utf8.IsValid(raw))
        {
            return false;
        }
        return !escaped || SurrogateEscapesArePaired(raw);
    }

    /// <summary>Every <c>\uD800</c>–<c>\uDBFF</c> escape is followed by a <c>\uDC00</c>–<c>\uDFFF</c> one, and no low one stands alone.</summary>
    private static bool SurrogateEscapesArePaired(ReadOnlySpan<byte> raw)
    {
        var i = raw.IndexOf((byte)'\\');
        while (i >= 0 && i < raw.Length - 1)
        {
            if (raw[i + 1] != (byte)'u')
            {
                i += 2; // a two-character escape: \" \\ \/ \b \f \n \r \t
            }
            else
            {
                // The reader has checked that four hex digits follow.
                var unit = Hex(raw.Slice(i + 2, 4));
                i += 6;
                if (unit is >= 0xDC00 and <= 0xDFFF)
                {
                    return false;
                }
                if (unit is >= 0xD800 and <= 0xDBFF)
                {
                    if (i + 6 > raw.Length || raw[i] != (byte)'\\' || raw[i + 1] != (byte)'u' || Hex(raw.Slice(i + 2, 4)) is < 0xDC00 or > 0xDFFF)
                    {
                        return false;
                    }
                    i += 6;
                }
            }
            var next = raw[i..].IndexOf((byte)'\\');
            i = next < 0 ? -1 : i + next;
        }
        return true;
    }

    private static int Hex(ReadOnlySpan<byte> digits) =>
        Utf8Parser.TryParse(digits, out ushort value, out var consumed, 'X') && consumed == 4 ? value : -1;

    /// <summary>
    /// The path of the value at <paramref name="offset"/> (as found by <see cref="FindInvalidString"/>), such as
    /// <c>messages[2].content[0].text</c>, for an error that names the field. Only errors pay for it.
    /// </summary>
    public static string PathTo(ReadOnlySpan<byte> json, int offset, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(json, options);
        var path = new List<object>(); // string: a property; int: the index of the next array element
        string? pendingName = null;
        while (reader.Read())
        {
            var atTarget = reader.TokenStartIndex == offset;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var name = IsValid(in reader) ? reader.GetString()! : "(invalid name)";
                    if (atTarget)
                    {
                        return Format(path, name);
                    }
                    pendingName = name;
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var segment = Segment(path, ref pendingName);
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        path.Add(segment);
                        path.Add(0);
                    }
                    else
                    {
                        path.Add(segment);
                        path.Add("");
                    }
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    path.RemoveAt(path.Count - 1);
                    Advance(path);
                    continue;
                default:
                    if (atTarget)
                    {
                        return Format(path, Segment(path, ref pendingName));
                    }
                    Segment(path, ref pendingName);
                    Advance(path);
                    continue;
            }
        }
        return "";
    }

    /// <summary>The name of the value about to be read: the pending property name, or the current array index.</summary>
    private static object Segment(List<object> path, ref string? pendingName)
    {
        if (pendingName is not null)
        {
            var name = pendingName;
            pendingName = null;
            return name;
        }
        return path.Count > 0 && path[^1] is int index ? index : "";
    }

    /// <summary>After a value inside an array, the next one has the next index.</summary>
    private static void Advance(List<object> path)
    {
        if (path.Count > 0 && path[^1] is int index)
        {
            path[^1] = index + 1;
        }
    }

    private static string Format(List<object> path, object last)
    {
        var text = new StringBuilder();
        // The stack holds (segment, position) pairs: the segment names the container, the position is inside it.
        for (var i = 0; i < path.Count; i += 2)
        {
            Append(text, path[i]);
        }
        Append(text, last);
        return text.ToString();
    }

    private static void Append(StringBuilder text, object segment)
    {
        switch (segment)
        {
            case int index:
                text.Append('[').Append(index).Append(']');
                break;
            case string { Length: > 0 } name:
                if (text.Length > 0)
                {
                    text.Append('.');
                }
                text.Append(name);
                break;
        }
    }
}
