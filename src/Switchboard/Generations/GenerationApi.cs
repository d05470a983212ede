namespace Switchboard.Generations;

/// <summary>
/// Which of the gateway's APIs a generation came in through, as its record says (<c>api</c> in
/// <c>GET /generation</c>); OpenRouter's coarser <c>api_type</c> is <c>completions</c> for
/// every text API and <c>embeddings</c> for embeddings.
/// </summary>
internal static class GenerationApi
{
    public const string ChatCompletions = "chat.completions";
    public const string Messages = "messages";
    public const string Completions = "completions";
    public const string Responses = "responses";
    public const string Embeddings = "embeddings";

    public const int MaxLength = 32;
}
