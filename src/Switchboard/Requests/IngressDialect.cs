namespace Switchboard.Requests;

/// <summary>
/// The API a client spoke. Every dialect becomes the internal form (a chat request) on the way in, and the answer is
/// written back in the dialect's own shape (see <c>Chat/IngressDialects</c>).
/// </summary>
internal enum IngressDialect
{
    /// <summary><c>POST /chat/completions</c>: the internal form itself.</summary>
    ChatCompletions,

    /// <summary><c>POST /messages</c>: Anthropic's Messages API.</summary>
    Messages,

    /// <summary><c>POST /completions</c>: OpenAI's legacy text completions, served through chat.</summary>
    Completions,

    /// <summary><c>POST /responses</c>: OpenAI's Responses API, stateless as OpenRouter serves it.</summary>
    Responses,

    /// <summary><c>POST /embeddings</c>: not a generation of text, but routed, held, settled and recorded like one.</summary>
    Embeddings,
}
