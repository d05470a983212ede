using System.Text.Json;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Configuration;
using Switchboard.Keys;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Routing;
using Switchboard.Settings;

namespace Switchboard.Messages;

/// <summary>
/// Anthropic's Messages API for every model: <c>POST /messages</c> (a generation, through the same steps as chat
/// completions; see <c>Chat/ChatCompletionsHandler</c>) and <c>POST /messages/count_tokens</c>. Anthropic's SDKs
/// and Claude Code add <c>?beta=true</c> and beta headers; both are accepted. Errors take Anthropic's shape.
/// </summary>
internal static class MessagesApi
{
    /// <param name="generate">The generation pipeline's Messages entry (<c>ChatCompletionsHandler.HandleMessagesAsync</c>).</param>
    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api, RequestDelegate generate)
    {
        api.MapPost("/messages", generate).RequireKey(KeyRequirement.Inference).WithMetadata(MessagesApiEndpoint.Instance)
            .ServesGenerations(IngressDialect.Messages);
        api.MapPost("/messages/count_tokens", CountTokensAsync).RequireKey(KeyRequirement.Inference).WithMetadata(MessagesApiEndpoint.Instance);
        return api;
    }

    /// <summary>
    /// The prompt's input tokens: the provider's own count when a Claude endpoint serves the model
    /// (<see cref="ProviderTokenCounter"/>); otherwise, or when that fails, a real tokenizer's (o200k) over its text,
    /// plus each image and PDF page as the credit hold prices them for the model. <c>X-Switchboard-Token-Count</c>
    /// says which (<c>provider</c> or <c>tokenizer</c>). The first model the request names must exist.
    /// </summary>
    private static async Task CountTokensAsync(
        HttpContext context,
        ModelCatalog catalog,
        PromptTokenCounter counter,
        ProviderTokenCounter providerCounter,
        AccountProfiles profiles,
        ProviderRegistry providers,
        IOptions<SwitchboardOptions> options)
    {
        var aborted = context.RequestAborted;
        var account = await profiles.GetAsync(context.CallerKey().AccountId, aborted);
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
        // The account's defaults carry its data policy, which decides whether the prompt may go to a provider at all.
        if (!ChatRequestParser.TryParse(translated.WrittenMemory, account.Defaults, out var request, out var invalid))
        {
            await ApiErrorWriter.WriteAsync(context.Response, invalid!);
            return;
        }
        if (!RequestedModel.TryParse(request!.Models[0], out var requested) || catalog.FindModel(requested.Id) is not { } model)
        {
            await ApiErrorWriter.WriteAsync(context.Response,
                UnknownModelError.For(catalog, request.Models[0], requested.Id, "model", StatusCodes.Status404NotFound));
            return;
        }
        // The key's rules hold here too: a model it may not use is refused, and only its providers are asked to count.
        request.Governance = context.CallerKey().Governance;
        if (request.Governance is { } governance && !governance.AllowsModel(model.Id, requested.Variant))
        {
            await ApiErrorWriter.WriteAsync(context.Response, governance.ModelRefusal(model.Id, requested.Variant, "model"));
            return;
        }
        var ingress = new MessagesIngress(body.Memory, MessagesRequestReader.Beta(context.Request));
        var tokens = await providerCounter.CountAsync(request, model, account.Providers(providers), ingress, aborted);
        context.Response.Headers["X-Switchboard-Token-Count"] = tokens is null ? "tokenizer" : "provider";
        if (tokens is null)
        {
            var text = await counter.CountAsync(translated.WrittenMemory, request.Prompt, aborted) ?? TokenEstimator.FromBytes(request.Prompt.TextBytes);
            var image = MediaTokens.PerImage(model);
            tokens = text + request.Prompt.Images * image + request.Prompt.PdfPages * (image + PromptBound.PdfPageTextTokens);
        }
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteNumber("input_tokens"u8, tokens.Value);
        json.WriteEndObject();
        await json.FlushAsync(aborted);
    }
}
