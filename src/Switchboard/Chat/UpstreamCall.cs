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

    /// <summary>
    /// Sends the request and reads a successful answer whole into <paramref name="body"/> (at most
    /// <paramref name="maxBytes"/>): null once the body is in, otherwise the attempt's outcome — the client left, the
    /// provider refused or could not be reached, or the read broke, overran or timed out. Non-streamed generations and
    /// embeddings both read their answers this way.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<AttemptOutcome?> FetchAsync(
        AttemptContext attempt, HttpRequestMessage request, PooledBufferWriter body, int maxBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (response, failure) = await SendAsync(attempt, request, timeout, cancellationToken).ConfigureAwait(false);
        if (attempt.ClientAborted.IsCancellationRequested)
        {
            response?.Dispose();
            return AttemptOutcome.ClientGone;
        }
        if (failure is not null)
        {
            return AttemptOutcome.Failed(failure);
        }
        using (response)
        {
            if (!response!.IsSuccessStatusCode)
            {
                return AttemptOutcome.Failed(await ReadErrorAsync(attempt, response, cancellationToken).ConfigureAwait(false));
            }
            try
            {
                return await UpstreamBody.ReadAsync(response, body, maxBytes, cancellationToken).ConfigureAwait(false)
                    ? null
                    : AttemptOutcome.Failed(new UpstreamFailure(FailureKind.InvalidResponse, $"The response exceeded {maxBytes} bytes."));
            }
            catch (OperationCanceledException) when (attempt.ClientAborted.IsCancellationRequested)
            {
                return AttemptOutcome.ClientGone;
            }
            catch (OperationCanceledException) when (attempt.DrainDeadline.IsCancellationRequested)
            {
                return AttemptOutcome.Failed(UpstreamFailure.ShuttingDown);
            }
            catch (OperationCanceledException)
            {
                return AttemptOutcome.Failed(new UpstreamFailure(FailureKind.Timeout, $"The response did not complete within {timeout.TotalSeconds:0.###} s."));
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                return AttemptOutcome.Failed(new UpstreamFailure(FailureKind.Connection, "The connection broke while reading the response."));
            }
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
