using System.Text.Json;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Keys;
using Switchboard.Routing;

namespace Switchboard.Messages;

/// <summary>
/// Anthropic's Messages API for every model: <c>POST /messages</c> (a generation, through the same steps as chat
/// completions; see <see cref="ChatCompletionsHandler"/>) and <c>POST /messages/count_tokens</c>. Anthropic's SDKs
/// and Claude Code add <c>?beta=true</c> and beta headers; both are accepted. Errors take Anthropic's shape.
/// </summary>
internal static class MessagesApi
{
    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api, ChatCompletionsHandler generations)
    {
        api.MapPost("/messages", generations.HandleMessagesAsync).RequireKey(KeyRequirement.Inference).WithMetadata(MessagesApiEndpoint.Instance);
        api.MapPost("/messages/count_tokens", CountTokensAsync).RequireKey(KeyRequirement.Inference).WithMetadata(MessagesApiEndpoint.Instance);
        return api;
    }

    /// <summary>
    /// The prompt's input tokens, counted by a real tokenizer (o200k) over its text, plus each image and PDF page as
    /// the credit hold prices them for the model. The first model the request names must exist.
    /// </summary>
    private static async Task CountTokensAsync(HttpContext context, ModelCatalog catalog, PromptTokenCounter counter, IOptions<SwitchboardOptions> options)
    {
        var aborted = context.RequestAborted;
        using var body = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes, aborted);
        if (body is null)
        {
            await ApiErrorWriter.WriteAsync(context.Response, ApiError.BodyTooLarge(options.Value.MaxRequestBodyBytes));
            return;
        }
        if (!MessagesRequestReader.TryTranslate(body.Memory, out var internalForm, out var untranslatable, counting: true))
        {
            await ApiErrorWriter.WriteAsync(context.Response, untranslatable!);
            return;
        }
        using var translated = internalForm!;
        if (!ChatRequestParser.TryParse(translated.WrittenMemory, out var request, out var invalid))
        {
            await ApiErrorWriter.WriteAsync(context.Response, invalid!);
            return;
        }
        if (!RequestedModel.TryParse(request!.Models[0], out var requested) || catalog.FindModel(requested.Id) is not { } model)
        {
            await ApiErrorWriter.WriteAsync(context.Response, new ApiError(StatusCodes.Status404NotFound,
                $"'{request.Models[0]}' is not a valid model ID. See GET /api/v1/models for the models this gateway serves.",
                new ErrorMetadata { ErrorType = "model_not_found", Param = "model" }));
            return;
        }
        var text = await counter.CountAsync(translated.WrittenMemory, request.Prompt, aborted) ?? TokenEstimator.FromBytes(request.Prompt.TextBytes);
        var image = MediaTokens.PerImage(model);
        var tokens = text + request.Prompt.Images * image + request.Prompt.PdfPages * (image + PromptBound.PdfPageTextTokens);
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteNumber("input_tokens"u8, tokens);
        json.WriteEndObject();
        await json.FlushAsync(aborted);
    }
}
