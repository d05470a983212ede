using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Requests;

/// <summary>
/// OpenRouter's <c>reasoning</c> object, OpenAI's <c>reasoning_effort</c> and the legacy <c>include_reasoning</c>,
/// read in the parser's single pass into the <see cref="ReasoningRequest"/> every translation and the credit hold
/// share, so the thinking budget a provider is sent is the one that was held for. A repeated key counts as JSON
/// readers take it: the last occurrence.
/// </summary>
internal struct ReasoningFields
{
    private bool _hasObject;
    private string? _effort;
    private int? _maxTokens;
    private bool? _enabled;
    private bool _exclude;
    private string? _topLevelEffort;
    private bool _include;

    /// <summary>Reads a <c>reasoning</c> value: an object, or null (which sets nothing).</summary>
    public ApiError? ReadObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            _hasObject = false;
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return ApiError.BadRequest($"'reasoning' must be an object such as {{\"effort\":\"high\"}}, not {ChatRequestParser.Describe(reader.TokenType)}.", "reasoning");
        }
        (_hasObject, _effort, _maxTokens, _enabled, _exclude) = (true, null, null, null, false);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("effort"u8) ? 1 : reader.ValueTextEquals("max_tokens"u8) ? 2
                : reader.ValueTextEquals("enabled"u8) ? 3 : reader.ValueTextEquals("exclude"u8) ? 4 : 0;
            reader.Read();
            switch (field)
            {
                case 1:
                    _effort = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                case 2:
                    _maxTokens = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var budget) ? budget : null;
                    break;
                case 3:
                    _enabled = reader.TokenType switch { JsonTokenType.True => true, JsonTokenType.False => false, _ => null };
                    break;
                case 4:
                    _exclude = reader.TokenType == JsonTokenType.True;
                    break;
            }
            reader.Skip();
        }
        return null;
    }

    public void ReadTopLevelEffort(ref Utf8JsonReader reader)
    {
        _topLevelEffort = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        reader.Skip();
    }

    public void ReadInclude(ref Utf8JsonReader reader)
    {
        _include = reader.TokenType == JsonTokenType.True;
        reader.Skip();
    }

    public readonly ReasoningRequest ToRequest() => _hasObject
        ? ReasoningRequest.Create(_effort ?? _topLevelEffort, _maxTokens, _enabled ?? true, _exclude)
        : ReasoningRequest.Create(_topLevelEffort, maxTokens: null, _include ? true : null, exclude: false);
}
