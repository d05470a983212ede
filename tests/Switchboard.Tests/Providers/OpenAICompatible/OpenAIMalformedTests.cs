using System.Buffers;
using System.Text;
using Switchboard.Providers;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Streaming;

namespace Switchboard.Tests.Providers.OpenAICompatible;

/// <summary>
/// OpenAI-compatible answers whose strings are not text, written by hand. The response is copied to the client as
/// bytes, so only what the rewriter reads as strings (property names, finish reasons, error messages) used to throw;
/// now any string that is not text makes the response an upstream failure, since the client could not read it either.
/// </summary>
public sealed class OpenAIMalformedTests
{
    private static readonly OpenAICompatibleAdapter Adapter = new();
    private static readonly Switchboard.Requests.ChatRequest PlainRequest = TranslationHarness.Request("""{"model":"test/model","messages":[{"role":"user","content":"hi"}]}""");

    [Theory]
    [InlineData("""{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"a\ud800"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"id":"x","\ud800":1,"choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"id":"x","choices":[{"index":0,"message":{"role":"assistant","\udc00":"a"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"\ud800"}]}""")]
    [InlineData("""{"id":"x","choices":[{"index":0,"message":{"content":"a"},"native_finish_reason":"\ud83d","finish_reason":"stop"}]}""")]
    [InlineData("""{"id":"x","choices":[{"index":0,"message":{"content":"a"},"finish_reason":"stop"}],"usage":{"prompt_tokens":"\ud800"}}""")]
    public void A_completion_whose_strings_are_not_text_fails_the_attempt(string body)
    {
        var result = Adapter.TranslateCompletion(PlainRequest, Encoding.UTF8.GetBytes(body), TranslationHarness.Identity, new ArrayBufferWriter<byte>());

        Assert.Equal(FailureKind.InvalidResponse, result.Failure!.Kind);
        Assert.True(result.Failure.AllowsFallback);
    }

    [Fact]
    public void A_property_name_of_invalid_utf8_fails_the_attempt()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"x","choices":[{"index":0,"message":{"role":"assistant","a#":"b"},"finish_reason":"stop"}]}""");
        body[Array.IndexOf(body, (byte)'#')] = 0xC0;

        var result = Adapter.TranslateCompletion(PlainRequest, body, TranslationHarness.Identity, new ArrayBufferWriter<byte>());

        Assert.Equal(FailureKind.InvalidResponse, result.Failure!.Kind);
    }

    [Theory]
    [InlineData("""{"id":"x","choices":[{"index":0,"delta":{"content":"\ud800"},"finish_reason":null}]}""")]
    [InlineData("""{"id":"x","choices":[{"index":0,"delta":{},"finish_reason":"\udfff"}]}""")]
    [InlineData("""{"error":{"message":"\ud800","code":"x"}}""")]
    public void A_stream_event_whose_strings_are_not_text_fails_the_attempt(string data)
    {
        var translator = Adapter.CreateStreamTranslator(PlainRequest, TranslationHarness.Identity);

        var (chunks, step) = TranslationHarness.Stream(translator, $"data: {data}\n\n");

        Assert.Equal(StreamStep.Failed, step);
        Assert.Equal(FailureKind.InvalidResponse, translator.Failure!.Kind);
        Assert.Empty(chunks);
    }

    [Theory]
    [InlineData("""{"error":{"message":"\ud800"}}""")]
    [InlineData("""{"error":"\udc00","message":"\ud800"}""")]
    public void An_error_response_whose_message_is_not_text_is_read_without_throwing(string body)
    {
        var failure = Adapter.ReadError(500, Encoding.UTF8.GetBytes(body), retryAfterSeconds: null);

        Assert.Equal("The provider returned HTTP 500.", failure.Message);
    }
}
