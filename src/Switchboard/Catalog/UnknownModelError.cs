using Switchboard.Api;

namespace Switchboard.Catalog;

/// <summary>
/// The refusal for a model name the catalog cannot serve: a retired model's names the successor to move to; any other
/// name points at the catalog. <paramref name="status"/> is the dialect's (400 for OpenAI's APIs, 404 for Anthropic's).
/// </summary>
internal static class UnknownModelError
{
    public static ApiError For(ModelCatalog catalog, string requested, string id, string param, int status = StatusCodes.Status400BadRequest) =>
        catalog.FindRetired(id) is { } retired
            ? new ApiError(status, retired.Message(requested),
                new ErrorMetadata { ErrorType = "model_retired", Param = param, Successor = retired.Successor })
            : new ApiError(status,
                $"'{requested}' is not a valid model ID. See GET /api/v1/models for the models this gateway serves.",
                new ErrorMetadata { ErrorType = "model_not_found", Param = param });
}
