using BenchmarkDotNet.Attributes;
using Switchboard.Chat;
using Switchboard.Infrastructure;
using Switchboard.Microbench.Fixtures;
using Switchboard.Providers;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Microbench;

/// <summary>
/// The response side of a non-streaming attempt on an OpenAI-compatible upstream, as <c>NonStreamingAttempt</c>
/// runs it: re-stamp the <c>chat.completion</c> with the gateway's id, model and provider, read its usage, and
/// count the generated text that prices a completion without usage.
/// </summary>
[MemoryDiagnoser]
public class CompletionRewriteBenchmarks
{
    private readonly OpenAICompatibleAdapter _adapter = new();
    private readonly ResponseIdentity _identity = new("gen-1763740800-Qx7pL2mV9sK4tR8wY3zA", "openai/gpt-4o-mini", "OpenAI", 1763740800);
    private ChatRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = BenchRequests.Parse(Payloads.ChatRequest);
    }

    [Benchmark]
    public int OpenAICompletion()
    {
        using var output = new PooledBufferWriter(Payloads.Completion.Length + 256);
        var result = _adapter.TranslateCompletion(_request, Payloads.Completion, _identity, output);
        var text = new GeneratedText();
        text.Observe(output.WrittenSpan);
        return result.Usage!.CompletionTokens + (int)text.Bytes;
    }
}
