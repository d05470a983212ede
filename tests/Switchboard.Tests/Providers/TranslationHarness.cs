using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Tests.Providers;

/// <summary>Drives an adapter's translators directly, for golden tests on recorded provider traffic.</summary>
public static class TranslationHarness
{
    internal static readonly ResponseIdentity Identity = new("gen-1700000000-abcdefghijklmnopqrst", "test/model", "Provider", 1700000000);

    internal static ChatRequest Request(string json)
    {
        Assert.True(ChatRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error), error?.Message);
        return request!;
    }

    internal static CatalogEndpoint Endpoint(string upstreamModel = "upstream-model", int? maxCompletionTokens = null, params string[] supportedParameters)
    {
        var model = new CatalogModel { Id = "test/model", Name = "Test" };
        var provider = new ProviderInfo { Slug = "p", Name = "Provider", BaseUrl = new Uri("http://127.0.0.1:1/v1"), Protocol = "test" };
        return new CatalogEndpoint
        {
            Index = 0,
            Model = model,
            Provider = provider,
            UpstreamModel = upstreamModel,
            MaxCompletionTokens = maxCompletionTokens,
            Pricing = new Pricing(1, 1),
            SupportedParameters = supportedParameters.ToFrozenSet(),
        };
    }

    /// <summary>Runs a recorded SSE stream through a translator; returns the chunks it wrote and how it ended.</summary>
    internal static (List<JsonObject> Chunks, StreamStep Step) Stream(IChatStreamTranslator translator, string sse) =>
        Stream(translator, Encoding.UTF8.GetBytes(sse));

    /// <summary>As above, for streams that are not UTF-8 text.</summary>
    internal static (List<JsonObject> Chunks, StreamStep Step) Stream(IChatStreamTranslator translator, byte[] sse)
    {
        var output = new ArrayBufferWriter<byte>();
        using var chunks = new ChunkWriter(output);
        using var reader = new SseEventReader(new MemoryStream(sse));
        var step = StreamStep.Continue;
        while (step == StreamStep.Continue)
        {
            var more = reader.FillAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            while (step == StreamStep.Continue && reader.TryReadEvent(out var sseEvent))
            {
                step = translator.OnEvent(sseEvent, chunks);
            }
            if (step == StreamStep.Continue && !more)
            {
                step = translator.OnEnd(chunks);
            }
        }
        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        var parsed = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonNode.Parse(e["data: ".Length..])!.AsObject())
            .ToList();
        return (parsed, step);
    }

    internal static JsonObject Completion(IProviderAdapter adapter, ChatRequest request, string body, out CompletionResult result)
    {
        var output = new ArrayBufferWriter<byte>();
        result = adapter.TranslateCompletion(request, Encoding.UTF8.GetBytes(body), Identity, output);
        Assert.Null(result.Failure);
        var completion = JsonNode.Parse(output.WrittenSpan)!.AsObject();
        Assert.Null(completion["usage"]); // the core appends usage, priced
        if (result.Usage is { } usage)
        {
            completion["usage"] = JsonNode.Parse(usage.Json);
        }
        return completion;
    }

    /// <summary>The upstream body an adapter would send.</summary>
    internal static JsonObject UpstreamBody(IProviderAdapter adapter, ChatRequest request, CatalogEndpoint endpoint, out HttpRequestMessage message)
    {
        var provider = new ProviderRuntime(endpoint.Provider, "Provider", new Uri("http://127.0.0.1:1/v1"), new ProviderCredential("secret-key"), null, adapter, new HttpMessageInvoker(new HttpClientHandler()));
        var upstream = adapter.CreateRequest(request, endpoint, provider);
        message = upstream.Message;
        return JsonNode.Parse(upstream.Message.Content!.ReadAsStringAsync().GetAwaiter().GetResult())!.AsObject();
    }

    public static string Text(this IEnumerable<JsonObject> chunks) =>
        string.Concat(chunks.Select(c => c["choices"]?.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>() ?? ""));
}
