using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Providers.Gemini;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>Drives <see cref="GeminiAdapter"/> directly: no gateway, no HTTP, just request and response translation.</summary>
internal static class GeminiTestKit
{
    public const string GenerationId = "gen-1700000000-GeminiGoldenTest0001";

    public static readonly ResponseIdentity Identity = new(GenerationId, "google/gemini-2.5-flash", "Google AI Studio", 1700000000);

    public static readonly GeminiAdapter Adapter = new();

    private static readonly ProviderInfo Info = new()
    {
        Slug = "google-ai-studio",
        Name = "Google AI Studio",
        BaseUrl = new Uri("https://generativelanguage.googleapis.com/v1beta"),
        Protocol = "gemini",
        ApiKeyEnv = "GEMINI_API_KEY",
    };

    public static ChatRequest Request(string json)
    {
        Assert.True(ChatRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error), error?.Message);
        return request!;
    }

    public static CatalogEndpoint Endpoint(string upstreamModel = "gemini-2.5-flash", int? maxCompletionTokens = null) => new()
    {
        Index = 0,
        Model = new CatalogModel { Id = "google/gemini-2.5-flash", Name = "Google: Gemini 2.5 Flash" },
        Provider = Info,
        UpstreamModel = upstreamModel,
        Pricing = Pricing.Free,
        MaxCompletionTokens = maxCompletionTokens,
    };

    public static ProviderRuntime Runtime() =>
        new(Info, Info.Name, Info.BaseUrl, new ProviderCredential("test-key"), null, Adapter, new HttpMessageInvoker(new SocketsHttpHandler()));

    /// <summary>The upstream request for <paramref name="json"/>, disposed by the caller.</summary>
    public static UpstreamRequest Upstream(string json, CatalogEndpoint? endpoint = null)
    {
        using var runtime = Runtime();
        return Adapter.CreateRequest(Request(json), endpoint ?? Endpoint(), runtime);
    }

    /// <summary>The Gemini body built for the OpenAI request <paramref name="json"/>.</summary>
    public static JsonObject Body(string json, CatalogEndpoint? endpoint = null)
    {
        using var upstream = Upstream(json, endpoint);
        var bytes = upstream.Message.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        return JsonNode.Parse(bytes, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 256 })!.AsObject();
    }

    public static (CompletionResult Result, JsonObject? Completion) Complete(string geminiBody)
    {
        var output = new ArrayBufferWriter<byte>();
        var result = Adapter.TranslateCompletion(Request("""{"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}]}"""), Encoding.UTF8.GetBytes(geminiBody), Identity, output);
        if (output.WrittenCount == 0)
        {
            return (result, null);
        }
        var completion = JsonNode.Parse(output.WrittenSpan)!.AsObject();
        Assert.Null(completion["usage"]); // the core appends usage, priced
        if (result.Usage is { } usage)
        {
            completion["usage"] = JsonNode.Parse(usage.Json);
        }
        return (result, completion);
    }

    /// <summary>Replays an SSE recording through the same reader the gateway uses, as the streaming attempt drives it.</summary>
    public static StreamRun Stream(string sse, int readSize = 7)
    {
        var translator = Adapter.CreateStreamTranslator(Request("""{"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}],"stream":true}"""), Identity);
        var output = new ArrayBufferWriter<byte>();
        using var chunks = new ChunkWriter(output);
        // Small reads put event boundaries (and CRLF pairs) across reads, as a real network does.
        using var reader = new SseEventReader(new TrickleStream(Encoding.UTF8.GetBytes(sse), readSize));
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
        var events = Encoding.UTF8.GetString(output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var parsed = events.Select(e => JsonNode.Parse(e["data: ".Length..])!.AsObject()).ToList();
        return new StreamRun(step, translator, parsed);
    }

    /// <summary>Asserts two JSON values are equal, showing both when they are not.</summary>
    public static void AssertJson(string expected, JsonNode? actual)
    {
        var wanted = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(wanted, actual), $"Expected:\n{wanted?.ToJsonString()}\nActual:\n{actual?.ToJsonString()}");
    }

    internal sealed record StreamRun(StreamStep Step, IChatStreamTranslator Translator, List<JsonObject> Chunks)
    {
        /// <summary>Each chunk's single choice reduced to what differs between chunks: the delta and the finish reasons.</summary>
        public JsonArray Deltas()
        {
            var deltas = new JsonArray();
            foreach (var chunk in Chunks)
            {
                var choice = chunk["choices"]![0]!;
                deltas.Add(new JsonObject
                {
                    ["index"] = choice["index"]!.DeepClone(),
                    ["delta"] = choice["delta"]!.DeepClone(),
                    ["finish_reason"] = choice["finish_reason"]?.DeepClone(),
                    ["native_finish_reason"] = choice["native_finish_reason"]?.DeepClone(),
                });
            }
            return deltas;
        }
    }

    /// <summary>Hands out at most a few bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int readSize) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, readSize));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, readSize)], cancellationToken);
    }
}
