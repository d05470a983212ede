using Switchboard.Keys;
using Switchboard.Requests;

namespace Switchboard.Completions;

/// <summary>
/// OpenAI's legacy completions API, <c>POST /completions</c> (the OpenAI SDK's <c>completions.create</c>), for every
/// model: the prompt is translated to a one-message chat request, which goes through the same steps as chat
/// completions (<c>Chat/ChatCompletionsHandler</c>), and the answer is written back as a <c>text_completion</c>.
/// Errors keep OpenRouter's shape, which is OpenAI's.
/// </summary>
internal static class CompletionsApi
{
    /// <param name="generate">The generation pipeline's entry for this dialect (<c>ChatCompletionsHandler.For</c>).</param>
    public static RouteGroupBuilder MapCompletionsApi(this RouteGroupBuilder api, RequestDelegate generate)
    {
        api.MapPost("/completions", generate).RequireKey(KeyRequirement.Inference).ServesGenerations(IngressDialect.Completions);
        return api;
    }
}
