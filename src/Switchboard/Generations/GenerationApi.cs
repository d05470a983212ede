namespace Switchboard.Generations;

/// <summary>
/// Which of the gateway's APIs a generation came in through, as its record says (<c>api</c> in
/// <c>GET /generation</c>); OpenRouter's coarser <c>api_type</c> is <c>completions</c> for all of them.
/// </summary>
internal static class GenerationApi
{
    public const string ChatCompletions = "chat.completions";
    public const string Messages = "messages";
    public const string Completions = "completions";
    public const string Responses = "responses";

    public const int MaxLength = 32;
}
