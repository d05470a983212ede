using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Providers;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Chat;

/// <summary>
/// One non-streaming try. The whole response is read before anything is sent, so any failure, including a
/// malformed 200, can still fall back to the next endpoint. A completion is sent once its charge is committed.
/// </summary>
internal static class NonStreamingAttempt
{
    private const int MaxResponseBytes = 64 * 1024 * 1024;

    /// <summary>Await the result once.</summary>
    /// <remarks>It waits on the network, so it completes asynchronously: a pooled builder spares a state machine box per request.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<AttemptOutcome> RunAsync(AttemptContext attempt, TimeSpan timeout, TimeProvider time)
    {
        var adapter = attempt.Provider.Adapter;
        var passthrough = attempt.Passthrough;
        using var upstream = passthrough is null
            ? adapter.CreateRequest(attempt.Request, attempt.Route.Endpoint, attempt.Provider)
            : passthrough.CreatePassthroughRequest(attempt.Request.Messages!, attempt.Route.Endpoint, attempt.Provider);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(attempt.ClientAborted, attempt.DrainDeadline);
        cancellation.CancelAfter(timeout);
        var started = time.GetTimestamp();

        using var body = new PooledBufferWriter(64 * 1024);
        if (await UpstreamCall.FetchAsync(attempt, upstream.Message, body, MaxResponseBytes, timeout, cancellation.Token).ConfigureAwait(false) is { } unanswered)
        {
            return unanswered;
        }

        using var output = new PooledBufferWriter(body.WrittenCount + 256);
        var result = passthrough is null
            ? adapter.TranslateCompletion(attempt.Request, body.WrittenSpan, attempt.Identity, output)
            : passthrough.RestampMessage(body.WrittenSpan, attempt.Identity, output, attempt.Meter.Capture);
        if (result.Failure is { } invalid)
        {
            return AttemptOutcome.Failed(invalid);
        }

        var elapsed = time.GetElapsedTime(started);
        attempt.Health.RecordSuccess(elapsed, TokensPerSecond(result.Usage, elapsed));
        attempt.Attempts.Succeeded(attempt.Route, attempt.Provider, elapsed);
        attempt.Meter.FirstContentAt = time.GetTimestamp();

        // The adapter wrote everything but usage; the priced usage (and metadata, if asked) close the object.
        var text = new GeneratedText();
        if (result.Text is { } counted)
        {
            text.Add(counted);
        }
        else
        {
            text.Observe(output.WrittenSpan);
        }
        attempt.Meter.Price(attempt.Route, attempt.Provider, result.Usage, complete: true, text);
        var client = passthrough is null ? CloseCompletion(attempt, output, time) : output;
        if (client is null)
        {
            return AttemptOutcome.Failed(new UpstreamFailure(FailureKind.InvalidResponse, "The completion could not be written in the shape of the client's API."));
        }
        using var messages = client == output ? null : client;

        // The charge and the record are committed before the client has the completion: a crash from here on
        // cannot leave a delivered generation unpaid.
        await attempt.Settlement.CommitAsync(attempt.ClientAborted).ConfigureAwait(false);

        var http = attempt.Http.Response;
        http.StatusCode = StatusCodes.Status200OK;
        http.ContentType = "application/json";
        http.ContentLength = client.WrittenCount;
        try
        {
            await http.Body.WriteAsync(client.WrittenMemory, attempt.ClientAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && attempt.ClientAborted.IsCancellationRequested)
        {
            // The generation succeeded; only the client is gone.
        }
        return AttemptOutcome.Delivered;
    }

    /// <summary>
    /// Closes the adapter's completion with the priced usage (and metadata, if asked); for a client of another
    /// dialect, returns it rewritten in that dialect's shape instead (null if that failed).
    /// </summary>
    private static PooledBufferWriter? CloseCompletion(AttemptContext attempt, PooledBufferWriter output, TimeProvider time)
    {
        attempt.Meter.Capture?.Observe(output.WrittenSpan);
        output.Truncate(1); // the closing brace
        output.Write(",\"usage\":"u8);
        var usage = ThreadJsonWriter.Over(output);
        attempt.Meter.WriteUsage(usage);
        usage.Flush();
        if (attempt.WantsMetadata)
        {
            AppendMetadata(output, attempt.Attempts.ToMetadata());
        }
        output.Write("}"u8);
        return IngressDialects.Rewrite(attempt.Request.Dialect, output, attempt.Request.ClientBody, time);
    }

    private static double? TokensPerSecond(TokenUsage? usage, TimeSpan elapsed) =>
        usage is { CompletionTokens: > 0 } && elapsed > TimeSpan.Zero ? usage.CompletionTokens / elapsed.TotalSeconds : null;

    /// <summary>Writes <c>,"openrouter_metadata":{…}</c> into the response object being closed.</summary>
    private static void AppendMetadata(PooledBufferWriter output, OpenRouterMetadata metadata)
    {
        output.Write(",\"openrouter_metadata\":"u8);
        using var writer = new Utf8JsonWriter(output);
        JsonSerializer.Serialize(writer, metadata, SwitchboardJsonContext.Api.OpenRouterMetadata);
    }
}
