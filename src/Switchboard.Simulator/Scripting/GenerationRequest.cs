namespace Switchboard.Simulator.Scripting;

/// <summary>
/// What the request itself asks of the answer, in dialect-neutral terms, so that limits, stop sequences and forced
/// tools behave the same whichever protocol carried them.
/// </summary>
/// <param name="PromptTokens">The dialect's prompt estimate (uncached part).</param>
/// <param name="MaxTokens">The request's output limit, or null when it sets none.</param>
/// <param name="StopSequences">Stop sequences, empty when none; empty strings are ignored.</param>
/// <param name="ForcedTool">The one tool the request forces, which turns a scripted <c>json</c> answer into a call.</param>
/// <param name="ToolIdPrefix">Prefix of generated tool-call ids (<c>call_</c> for OpenAI, <c>toolu_</c> for Anthropic).</param>
/// <param name="PromptHash">The prompt text's hash (<see cref="PromptTally.Hash"/>), which picks the default reply.</param>
internal sealed record GenerationRequest(
    int PromptTokens,
    int? MaxTokens,
    IReadOnlyList<string> StopSequences,
    string? ForcedTool,
    string ToolIdPrefix,
    ulong PromptHash = 0)
{
    public GenerationRequest(PromptTally prompt, int? maxTokens, IReadOnlyList<string> stopSequences, string? forcedTool, string toolIdPrefix)
        : this(prompt.Tokens, maxTokens, stopSequences, forcedTool, toolIdPrefix, prompt.Hash)
    {
    }
}
