using System.Runtime.CompilerServices;
using Switchboard.Infrastructure;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Chat;

/// <summary>
/// Sending the upstream request and reading bounded bodies, with transport failures turned into values. The calls
/// that run on every request wait on the network, so they complete asynchronously; a pooled builder spares a
/// state machine box for each. Await each result once.
/// </summary>
internal static class UpstreamCall
{
    private const int MaxErrorBodyBytes = 1024 * 1024;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<(HttpResponseMessage? Response, UpstreamFailure? Failure)> SendAsync(
        AttemptContext attempt, HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        request.Version = attempt.Provider.HttpVersion;
        request.VersionPolicy = attempt.Provider.HttpVersionPolicy;
        try
        {
            var response = await attempt.Provider.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return (response, null);
        }
        catch (OperationCanceledException)
        {
            // The caller looks at the client first: a client that left is not a failure of the provider.
            return (null, attempt.ClientAborted.IsCancellationRequested ? null
                : attempt.DrainDeadline.IsCancellationRequested ? UpstreamFailure.ShuttingDown
                : new UpstreamFailure(FailureKind.Timeout, $"No response within {timeout.TotalSeconds:0.###} s."));
        }
        catch (HttpRequestException ex)
        {
            return (null, new UpstreamFailure(FailureKind.Connection, $"Could not reach the provider ({ex.HttpRequestError}: {ex.Message})"));
        }
    }

    /// <summary>Reads a non-success response into a failure, including the provider's error body.</summary>
    public static async Task<UpstreamFailure> ReadErrorAsync(AttemptContext attempt, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = new PooledBufferWriter();
        try
        {
            await UpstreamBody.ReadAsync(response, body, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException && !attempt.ClientAborted.IsCancellationRequested)
        {
            // The status alone still says what happened.
        }
        return attempt.Provider.Adapter.ReadError((int)response.StatusCode, body.WrittenSpan, AttemptContext.RetryAfterSeconds(response));
    }
}
