using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Configuration;
using Switchboard.Infrastructure;
using Switchboard.Providers;
using Switchboard.Providers.Translation;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Chat;

/// <summary>
/// One streaming try: upstream events are translated and flushed to the client as each read arrives, never
/// collected. Until the first data event reaches the client a failure hands over to the next endpoint; after
/// it, the stream ends with an error chunk (<c>finish_reason: "error"</c>), never with a clean-looking end. The
/// final usage chunk and <c>[DONE]</c> are sent once the generation's charge is committed.
/// </summary>
internal static class StreamingAttempt
{
    /// <summary>Await the result once.</summary>
    /// <remarks>It waits on the network, so it completes asynchronously: a pooled builder spares a state machine box per request.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<AttemptOutcome> RunAsync(AttemptContext attempt, SseResponse client, TimeoutOptions timeouts, TimeProvider time)
    {
        var adapter = attempt.Provider.Adapter;
        var passthrough = attempt.Passthrough;
        using var upstream = passthrough is null
            ? adapter.CreateRequest(attempt.Request, attempt.Route.Endpoint, attempt.Provider)
            : passthrough.CreatePassthroughRequest(attempt.Request.Messages!, attempt.Route.Endpoint, attempt.Provider);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(attempt.ClientAborted, attempt.DrainDeadline);
        cancellation.CancelAfter(timeouts.StreamingHeaders);
        var started = time.GetTimestamp();

        var (response, sendFailure) = await UpstreamCall.SendAsync(attempt, upstream.Message, timeouts.StreamingHeaders, cancellation.Token).ConfigureAwait(false);
        if (attempt.ClientAborted.IsCancellationRequested)
        {
            response?.Dispose();
            return AttemptOutcome.ClientGone;
        }
        if (sendFailure is not null)
        {
            return AttemptOutcome.Failed(sendFailure);
        }

        using (response)
        {
            if (!response!.IsSuccessStatusCode)
            {
                return AttemptOutcome.Failed(await UpstreamCall.ReadErrorAsync(attempt, response, cancellation.Token).ConfigureAwait(false));
            }

            var translator = passthrough is null
                ? adapter.CreateStreamTranslator(attempt.Request, attempt.Identity)
                : passthrough.CreatePassthroughStreamTranslator(attempt.Identity);
            var chunks = client.Chunks;
            long firstChunkAt = 0;
            UpstreamFailure? failure = null;
            var stream = await response.Content.ReadAsStreamAsync(cancellation.Token).ConfigureAwait(false);
            using var reader = new SseEventReader(stream);
            while (failure is null)
            {
                // The idle timer restarts on every read: a long generation lives as long as tokens keep coming.
                cancellation.CancelAfter(timeouts.StreamIdle);
                bool more;
                try
                {
                    more = await reader.FillAsync(cancellation.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (attempt.ClientAborted.IsCancellationRequested)
                {
                    return ClientGone(attempt, translator, chunks);
                }
                catch (OperationCanceledException) when (attempt.DrainDeadline.IsCancellationRequested)
                {
                    failure = UpstreamFailure.ShuttingDown;
                    break;
                }
                catch (OperationCanceledException)
                {
                    failure = new UpstreamFailure(FailureKind.Timeout, $"The stream went silent for {timeouts.StreamIdle.TotalSeconds:0.###} s.");
                    break;
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidDataException)
                {
                    failure = new UpstreamFailure(FailureKind.Connection, "The connection to the provider broke mid-stream.");
                    break;
                }

                using (await client.LockAsync().ConfigureAwait(false))
                {
                    client.EnsureStarted();
                    var before = chunks.ChunksWritten;
                    var step = StreamStep.Continue;
                    while (step == StreamStep.Continue && reader.TryReadEvent(out var sseEvent))
                    {
                        step = translator.OnEvent(sseEvent, chunks);
                    }
                    if (step == StreamStep.Continue && !more)
                    {
                        step = translator.OnEnd(chunks);
                    }
                    if (before == 0 && chunks.ChunksWritten > 0)
                    {
                        firstChunkAt = time.GetTimestamp();
                        attempt.Meter.FirstContentAt = firstChunkAt;
                    }
                    if (step == StreamStep.Failed)
                    {
                        failure = translator.Failure;
                        break;
                    }
                    if (step == StreamStep.Done)
                    {
                        attempt.Attempts.Succeeded(attempt.Route, attempt.Provider, time.GetElapsedTime(started));
                        attempt.Meter.Price(attempt.Route, attempt.Provider, translator.Usage, complete: true, chunks.Text);
                        WriteEnd(attempt, chunks);
                        // The usage chunk and [DONE] leave only once the charge is committed.
                        await attempt.Settlement.CommitAsync(attempt.ClientAborted).ConfigureAwait(false);
                    }
                    if (chunks.ChunksWritten > before || step == StreamStep.Done)
                    {
                        if (!await TryFlushAsync(client, attempt.ClientAborted).ConfigureAwait(false))
                        {
                            return step == StreamStep.Done ? ClientGoneAfterEnd(attempt) : ClientGone(attempt, translator, chunks);
                        }
                    }
                    if (step == StreamStep.Done)
                    {
                        RecordSuccess(attempt, translator.Usage, started, firstChunkAt, time);
                        return AttemptOutcome.Delivered;
                    }
                }
            }

            if (chunks.ChunksWritten == 0)
            {
                return AttemptOutcome.Failed(failure!);
            }

            // Content has reached the client: no fallback now. End with an error the client cannot mistake for
            // completion, carrying the usage of what was generated, which is what the account is charged.
            using (await client.LockAsync().ConfigureAwait(false))
            {
                attempt.Meter.Price(attempt.Route, attempt.Provider, translator.Usage, complete: false, chunks.Text);
                StreamChunks.WriteError(chunks, attempt.Identity, UpstreamErrors.ToApiError(failure!, attempt.Provider.DisplayName), attempt.Meter);
                await TryFlushAsync(client, attempt.ClientAborted).ConfigureAwait(false);
            }
            return AttemptOutcome.BrokeAfterContent(failure!);
        }
    }

    /// <summary>The client left. If it had received content, that much was generated for it and is charged.</summary>
    private static AttemptOutcome ClientGone(AttemptContext attempt, IChatStreamTranslator translator, ChunkWriter chunks)
    {
        attempt.Meter.Cancelled = true;
        if (chunks.ChunksWritten > 0)
        {
            attempt.Meter.Price(attempt.Route, attempt.Provider, translator.Usage, complete: false, chunks.Text);
        }
        return AttemptOutcome.ClientGone;
    }

    /// <summary>The client left as the last bytes went out: the generation was complete and stays priced as such.</summary>
    private static AttemptOutcome ClientGoneAfterEnd(AttemptContext attempt)
    {
        attempt.Meter.Cancelled = true;
        return AttemptOutcome.ClientGone;
    }

    /// <summary>
    /// The one usage chunk, with <c>cost</c> (always, as OpenRouter sends it), routing metadata (if asked), then <c>[DONE]</c>.
    /// </summary>
    private static void WriteEnd(AttemptContext attempt, ChunkWriter chunks)
    {
        if (attempt.Passthrough is not null)
        {
            // Claude's own message_delta has gone out with its usage; only the held-back end is left.
            chunks.WriteEvent("message_stop"u8, """{"type":"message_stop"}"""u8, default);
            return;
        }
        var json = chunks.Begin();
        ChunkHeader.Write(json, attempt.Identity);
        json.WriteStartArray("choices"u8);
        json.WriteEndArray();
        json.WritePropertyName("usage"u8);
        attempt.Meter.WriteUsage(json);
        if (attempt.WantsMetadata)
        {
            json.WritePropertyName("openrouter_metadata"u8);
            JsonSerializer.Serialize(json, attempt.Attempts.ToMetadata(), SwitchboardJsonContext.Api.OpenRouterMetadata);
        }
        json.WriteEndObject();
        chunks.End();
        chunks.WriteDone();
    }

    private static void RecordSuccess(AttemptContext attempt, TokenUsage? usage, long started, long firstChunkAt, TimeProvider time)
    {
        var now = time.GetTimestamp();
        var timeToFirstToken = time.GetElapsedTime(started, firstChunkAt == 0 ? now : firstChunkAt);
        var generating = firstChunkAt == 0 ? TimeSpan.Zero : time.GetElapsedTime(firstChunkAt, now);
        double? tokensPerSecond = usage is { CompletionTokens: > 1 } && generating > TimeSpan.FromMilliseconds(1)
            ? usage.CompletionTokens / generating.TotalSeconds
            : null;
        attempt.Health.RecordSuccess(timeToFirstToken, tokensPerSecond);
    }

    private static async ValueTask<bool> TryFlushAsync(SseResponse client, CancellationToken cancellationToken)
    {
        try
        {
            await client.FlushAsync(cancellationToken).ConfigureAwait(false);
            return !cancellationToken.IsCancellationRequested;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            return false;
        }
    }
}
