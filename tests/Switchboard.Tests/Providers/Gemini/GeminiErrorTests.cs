using System.Text;
using Switchboard.Providers;
using static Switchboard.Tests.Providers.Gemini.GeminiTestKit;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>Gemini error responses (status not 2xx) read into failures that decide fallback and what the client sees.</summary>
public sealed class GeminiErrorTests
{
    [Fact]
    public void Quota_error_gives_its_message_and_the_retry_delay_from_retry_info()
    {
        var failure = Adapter.ReadError(429, Encoding.UTF8.GetBytes(GeminiFixtures.Vercel429RetryInfo), retryAfterSeconds: null);

        Assert.Equal(FailureKind.HttpStatus, failure.Kind);
        Assert.Equal(429, failure.Status);
        Assert.Equal("You exceeded your current quota, please check your plan.", failure.Message);
        Assert.Equal(35, failure.RetryAfterSeconds); // "34.4s", rounded up
        Assert.True(failure.IsRateLimit);
        Assert.Equal(GeminiFixtures.Vercel429RetryInfo, failure.Raw);
    }

    [Fact]
    public void Retry_after_header_wins_over_the_body()
    {
        var failure = Adapter.ReadError(429, Encoding.UTF8.GetBytes(GeminiFixtures.Vercel429RetryInfo), retryAfterSeconds: 3);

        Assert.Equal(3, failure.RetryAfterSeconds);
    }

    [Fact]
    public void Invalid_argument_is_a_400_returned_to_the_client_without_fallback()
    {
        var failure = Adapter.ReadError(400, Encoding.UTF8.GetBytes(GeminiFixtures.VercelThinkingLevel400), retryAfterSeconds: null);

        Assert.Equal(400, failure.Status);
        Assert.Equal("Thinking level MINIMAL is not supported for this model. Please retry with other thinking level.", failure.Message);
        Assert.False(failure.AllowsFallback);
        Assert.Null(failure.RetryAfterSeconds);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "Gemini returned HTTP 502.")]
    [InlineData("", "Gemini returned HTTP 502.")]
    // Without alt=sse a stream fails with the error inside an array.
    [InlineData("""[{"error": {"code": 502, "message": "Upstream fell over.", "status": "UNAVAILABLE"}}]""", "Upstream fell over.")]
    public void Unusual_error_bodies_still_give_a_message(string body, string message)
    {
        var failure = Adapter.ReadError(502, Encoding.UTF8.GetBytes(body), retryAfterSeconds: null);

        Assert.Equal(message, failure.Message);
        Assert.Equal(body, failure.Raw);
        Assert.True(failure.AllowsFallback);
    }
}
