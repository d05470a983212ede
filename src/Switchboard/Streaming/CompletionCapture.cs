using System.Text;
using System.Text.Json;

namespace Switchboard.Streaming;

/// <summary>
/// Keeps the text of the first choice as the client received it (every <c>delta.content</c> of a stream, or the
/// completion's <c>message.content</c>), for accounts that store their prompts and completions. Only created for
/// them: everyone else's chunks are never read for it.
/// </summary>
internal sealed class CompletionCapture
{
    /// <summary>Characters kept at most; a longer completion is cut, and says so.</summary>
    public const int MaxChars = 1_000_000;
    private const string CutMarker = "\n[… cut: the completion was longer than Switchboard stores]";

    private readonly StringBuilder _text = new();
    private bool _cut;

    /// <summary>Reads one <c>chat.completion</c> or <c>chat.completion.chunk</c> for its first choice's content.</summary>
    public void Observe(ReadOnlySpan<byte> json)
    {
        if (_cut)
        {
            return;
        }
        try
        {
            var reader = new Utf8JsonReader(json);
            if (CompletionJson.SeekChoices(ref reader))
            {
                ReadChoices(ref reader);
            }
        }
        catch (JsonException)
        {
            // Only our own output is read; a fragment that does not parse adds nothing.
        }
    }

    public override string ToString() => _cut ? _text + CutMarker : _text.ToString();

    private void ReadChoices(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? content = null;
            var index = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) ? i : index;
                }
                else if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    content = ReadContent(ref reader) ?? content;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (index == 0 && content is not null)
            {
                Add(content);
            }
        }
    }

    private static string? ReadContent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        string? content = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isContent = reader.ValueTextEquals("content"u8);
            reader.Read();
            if (isContent && reader.TokenType == JsonTokenType.String)
            {
                content = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
        return content;
    }

    /// <summary>Text the client received outside OpenAI's shapes: a Claude endpoint's own message or events, passed through.</summary>
    public void Add(string content)
    {
        if (_cut)
        {
            return;
        }
        var room = MaxChars - _text.Length;
        if (content.Length > room)
        {
            _text.Append(content, 0, room);
            _cut = true;
            return;
        }
        _text.Append(content);
    }
}
