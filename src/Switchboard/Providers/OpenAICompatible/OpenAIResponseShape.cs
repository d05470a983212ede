using System.Text.Json;

namespace Switchboard.Providers.OpenAICompatible;

/// <summary>What a first, cheap pass over an OpenAI response object finds: an error, usage, and how many choices.</summary>
internal readonly record struct OpenAIResponseShape(bool IsObject, Range? Error, Range? Usage, int Choices)
{
    public static OpenAIResponseShape Inspect(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }
        Range? error = null, usage = null;
        var choices = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isError = reader.ValueTextEquals("error"u8);
            var isUsage = reader.ValueTextEquals("usage"u8);
            var isChoices = reader.ValueTextEquals("choices"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (isChoices && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    choices++;
                    reader.Skip();
                }
                continue;
            }
            reader.Skip();
            if (reader.TokenType is JsonTokenType.Null)
            {
                continue;
            }
            if (isError)
            {
                error = start..(int)reader.BytesConsumed;
            }
            else if (isUsage && reader.TokenType == JsonTokenType.EndObject)
            {
                usage = start..(int)reader.BytesConsumed;
            }
        }
        return new OpenAIResponseShape(true, error, usage, choices);
    }
}
