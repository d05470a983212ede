using System.Buffers;
using BenchmarkDotNet.Attributes;
using Switchboard.Chat;
using Switchboard.Microbench.Fixtures;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Microbench;

/// <summary>
/// One whole streamed generation through the relay loop of <c>StreamingAttempt</c>: upstream bytes arrive one event
/// per read, <see cref="SseEventReader"/> splits them, the adapter's translator re-stamps (or translates) each event
/// and <see cref="ChunkWriter"/> frames it for the client. One operation is one stream of 50 content events, so
/// divide by about 53 for the cost per event. No I/O: reads complete at once and output goes to memory.
/// </summary>
[MemoryDiagnoser]
public class SseForwardBenchmarks : IDisposable
{
    private readonly ResponseIdentity _identity = new("gen-1763740800-Qx7pL2mV9sK4tR8wY3zA", "openai/gpt-4o-mini", "OpenAI", 1763740800);
    private readonly ArrayBufferWriter<byte> _client = new(64 * 1024);
    private readonly ReplayStream _openAI = new(Payloads.OpenAIStream);
    private readonly ReplayStream _anthropic = new(Payloads.AnthropicStream);
    private readonly ReplayStream _gemini = new(Payloads.GeminiStream);
    private readonly OpenAICompatibleAdapter _openAIAdapter = new();
    private readonly AnthropicAdapter _anthropicAdapter = new();
    private readonly GeminiAdapter _geminiAdapter = new();
    private ChatRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = BenchRequests.Parse(Payloads.StreamingChatRequest);
    }

    [Benchmark]
    public int OpenAIStream() => Relay(_openAI, _openAIAdapter);

    [Benchmark]
    public int AnthropicStream() => Relay(_anthropic, _anthropicAdapter);

    [Benchmark]
    public int GeminiStream() => Relay(_gemini, _geminiAdapter);

    private int Relay(ReplayStream upstream, IProviderAdapter adapter)
    {
        upstream.Rewind();
        _client.ResetWrittenCount();
        var translator = adapter.CreateStreamTranslator(_request, _identity);
        using var chunks = new ChunkWriter(_client);
        using var reader = new SseEventReader(upstream);
        var step = StreamStep.Continue;
        while (step == StreamStep.Continue)
        {
            var fill = reader.FillAsync(CancellationToken.None);
            var more = fill.IsCompletedSuccessfully ? fill.Result : throw new InvalidOperationException("A replayed read did not complete at once.");
            while (step == StreamStep.Continue && reader.TryReadEvent(out var sseEvent))
            {
                step = translator.OnEvent(sseEvent, chunks);
            }
            if (step == StreamStep.Continue && !more)
            {
                step = translator.OnEnd(chunks);
            }
        }
        return step == StreamStep.Done ? chunks.ChunksWritten : throw new InvalidOperationException($"The stream failed: {translator.Failure}");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _openAI.Dispose();
        _anthropic.Dispose();
        _gemini.Dispose();
        GC.SuppressFinalize(this);
    }
}
