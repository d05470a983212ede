using Switchboard.Streaming;

namespace Switchboard.Providers.OpenAICompatible;

/// <summary>
/// What <see cref="OpenAIResponseRewriter"/> found while re-stamping an OpenAI response object: whether it was an
/// object at all, an in-band error, the usage, how many choices, the first native finish reason, and the
/// generated text it carried.
/// </summary>
internal readonly record struct OpenAIResponseShape(
    bool IsObject, Range? Error, Range? Usage, int Choices, string? FinishReason, GeneratedTextCount Text);
