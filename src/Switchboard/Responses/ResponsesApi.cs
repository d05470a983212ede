using Switchboard.Keys;
using Switchboard.Requests;

namespace Switchboard.Responses;

/// <summary>
/// OpenAI's Responses API for every model, stateless as OpenRouter serves it: <c>POST /responses</c>, a generation
/// through the same steps as chat completions (see <c>Chat/ChatCompletionsHandler</c>). Errors take the OpenAI shape
/// every other route has.
/// </summary>
internal static class ResponsesApi
{
    /// <param name="generate">The generation pipeline's Responses entry (<c>ChatCompletionsHandler.For(IngressDialect.Responses)</c>).</param>
    public static RouteGroupBuilder MapResponsesApi(this RouteGroupBuilder api, RequestDelegate generate)
    {
        api.MapPost("/responses", generate).RequireKey(KeyRequirement.Inference).ServesGenerations(IngressDialect.Responses);
        return api;
    }
}
