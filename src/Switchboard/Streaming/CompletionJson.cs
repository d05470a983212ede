using System.Text.Json;

namespace Switchboard.Streaming;

/// <summary>Reading the gateway's own <c>chat.completion</c> and <c>chat.completion.chunk</c> output.</summary>
internal static class CompletionJson
{
    /// <summary>
    /// Moves <paramref name="reader"/> onto the start of the top-level <c>choices</c> array; false when the JSON is not
    /// an object or has none. A <see cref="JsonException"/> means the JSON is cut short or malformed.
    /// </summary>
    public static bool SeekChoices(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isChoices = reader.ValueTextEquals("choices"u8);
            reader.Read();
            if (isChoices && reader.TokenType == JsonTokenType.StartArray)
            {
                return true;
            }
            reader.Skip();
        }
        return false;
    }
}
