namespace Switchboard.Providers.Translation;

/// <summary>
/// A provider's answer in OpenAI terms, assembled by a native adapter (Anthropic, Gemini) before it is written
/// as a <c>chat.completion</c> by <see cref="OpenAICompletionWriter"/>.
/// </summary>
internal sealed class TranslatedChoice
{
    public int Index { get; init; }
    public System.Text.StringBuilder Text { get; } = new();
    public System.Text.StringBuilder Reasoning { get; } = new();
    public List<ReasoningDetail> ReasoningDetails { get; } = [];
    public List<TranslatedToolCall> ToolCalls { get; } = [];
    public string FinishReason { get; set; } = "stop";
    public string? NativeFinishReason { get; set; }
}

internal sealed record TranslatedToolCall(string Id, string Name, string Arguments);

/// <summary>
/// OpenRouter's <c>reasoning_details</c> entry. Signed thinking must come back unchanged on the next turn, so the
/// signature (or the redacted data) travels with the text.
/// </summary>
internal sealed record ReasoningDetail(string Type, string? Text, string? Signature, string? Data, string Format, int Index)
{
    public const string TextType = "reasoning.text";
    public const string EncryptedType = "reasoning.encrypted";
}
