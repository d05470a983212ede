using Switchboard.Keys;
using Switchboard.Requests;

namespace Switchboard.Embeddings;

/// <summary>
/// <c>POST /embeddings</c> (an inference key, as for chat). The model list, <c>GET /embeddings/models</c>, is the
/// catalog's (<c>Catalog/CatalogApi</c>).
/// </summary>
internal static class EmbeddingsApi
{
    public static RouteGroupBuilder MapEmbeddingsApi(this RouteGroupBuilder api, EmbeddingsHandler handler)
    {
        api.MapPost("/embeddings", handler.HandleAsync).RequireKey(KeyRequirement.Inference).ServesGenerations(IngressDialect.Embeddings);
        return api;
    }
}
