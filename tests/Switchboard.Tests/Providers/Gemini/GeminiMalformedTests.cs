using System.Text;
using Switchboard.Providers;
using Switchboard.Streaming;
using static Switchboard.Tests.Providers.Gemini.GeminiTestKit;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>
/// Gemini answers that parse but are not a <c>GenerateContentResponse</c>, written by hand: each is an upstream failure
/// or is read past, and none throws (a wrong JSON type used to, wherever a number or an object was expected).
/// </summary>
public sealed class GeminiMalformedTests
{
    [Theory]
    [InlineData("""{"candidates":[5]}""")]
    [InlineData("""{"candidates":["x",null,[]]}""")]
    [InlineData("""{"candidates":{"content":{}}}""")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"\ud800"}]}}]}""")]
    [InlineData("""{"error":{"code":"five hundred","message":5}}""")]
    [InlineData("""[{"error":{"code":503.5,"details":"none"}}]""")]
    [InlineData("""{"candidates":[]} and more""")]
    [InlineData("""7""")]
    public void A_response_that_is_not_a_generate_content_response_fails_the_attempt(string body)
    {
        var (result, _) = Complete(body);

        Assert.NotNull(result.Failure);
        Assert.Equal(FailureKind.InvalidResponse, result.Failure.Kind);
        Assert.True(result.Failure.AllowsFallback);
    }

    [Theory]
    [InlineData("""{"candidates":[{"index":"0","content":{"parts":[{"text":"hi"}]},"finishReason":5}],"usageMetadata":{"promptTokenCount":"3","candidatesTokenCount":1e400}}""")]
    [InlineData("""{"candidates":[{"content":{"parts":[5,{"functionCall":{"name":"f","args":"not an object"}},{"thought":"yes","text":"hi"}]}}],"usageMetadata":[]}""")]
    [InlineData("""{"candidates":[{"content":"text","finishReason":"STOP"}],"promptFeedback":"none"}""")]
    public void Odd_optional_fields_are_read_past(string body)
    {
        var (result, completion) = Complete(body);

        Assert.Null(result.Failure);
        Assert.NotNull(completion);
    }

    [Theory]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"\udc00 alone"}]}}]}""")]
    [InlineData("""{"candidates":[7],"usageMetadata":{"promptTokenCount":{}}}""")]
    [InlineData("""{"error":{"code":[],"message":{}}}""")]
    [InlineData("""not json""")]
    public void A_stream_event_that_is_not_a_generate_content_response_fails_the_attempt(string data)
    {
        var run = Stream($"data: {data}\n\n");

        Assert.Equal(StreamStep.Failed, run.Step);
        Assert.True(run.Translator.Failure!.Kind is FailureKind.InvalidResponse or FailureKind.Truncated);
        Assert.True(run.Translator.Failure.AllowsFallback);
        Assert.Empty(run.Chunks);
    }

    [Theory]
    [InlineData("""{"error":{"code":"x","message":"\ud800","details":[{"@type":5,"retryDelay":7}]}}""")]
    [InlineData("""{"error":[1,2]}""")]
    public void An_error_response_of_any_shape_is_read_without_throwing(string body)
    {
        var failure = Adapter.ReadError(503, Encoding.UTF8.GetBytes(body), retryAfterSeconds: null);

        Assert.Equal(FailureKind.HttpStatus, failure.Kind);
        Assert.Equal(503, failure.Status);
    }
}
