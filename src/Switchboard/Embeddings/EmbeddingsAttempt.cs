using System.Text.Json;
using Switchboard.Billing;
using Switchboard.Chat;
using Switchboard.Infrastructure;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Embeddings;

/// <summary>
/// One embeddings try on one endpoint. The provider's whole answer is read before anything is sent, so any failure,
/// a malformed 200 included, can still fall back to the next endpoint. The answer is written in OpenAI's shape under the
/// gateway's identity (<c>id</c> the generation id, <c>model</c> the public id, <c>provider</c>), priced, and sent only
/// once its charge is committed. A client that leaves before the answer is in is charged nothing (the upstream request
/// is cancelled with it); once it is in and priced, the charge stands.
/// </summary>
internal static class EmbeddingsAttempt
{
    /// <summary>2,048 inputs of 3,072 numbers each are about 120 MB as JSON; more than that is not an embeddings answer.</summary>
    private const int MaxResponseBytes = 256 * 1024 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static async Task<AttemptOutcome> RunAsync(
        AttemptContext attempt, EmbeddingsRequest request, IEmbeddingsProvider embedder, PromptTokenCounter tokens, TimeSpan timeout, TimeProvider time)
    {
        using var upstream = embedder.CreateEmbeddingsRequest(request, attempt.Route.Endpoint, attempt.Provider);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(attempt.ClientAborted, attempt.DrainDeadline);
        cancellation.CancelAfter(timeout);
        var started = time.GetTimestamp();

        using var body = new PooledBufferWriter(64 * 1024);
        if (await UpstreamCall.FetchAsync(attempt, upstream.Message, body, MaxResponseBytes, timeout, cancellation.Token).ConfigureAwait(false) is { } unanswered)
        {
            return unanswered;
        }

        using var output = new PooledBufferWriter(body.WrittenCount + 512);
        await using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("id"u8, attempt.Identity.GenerationId);
        json.WriteString("object"u8, "list"u8);
        json.WritePropertyName("data"u8);
        var result = embedder.ReadEmbeddings(request, body.WrittenSpan, json);
        if (result.Failure is { } unusable)
        {
            return AttemptOutcome.Failed(unusable);
        }

        var elapsed = time.GetElapsedTime(started);
        attempt.Health.RecordSuccess(elapsed, null);
        attempt.Attempts.Succeeded(attempt.Route, attempt.Provider, elapsed);
        attempt.Meter.FirstContentAt = time.GetTimestamp();
        var usage = result.Usage ?? await EmbeddingUsageEstimate.CountAsync(request, attempt.Route.Endpoint, tokens, attempt.ClientAborted).ConfigureAwait(false);
        attempt.Meter.PriceInputs(attempt.Route, attempt.Provider, usage, estimated: result.Usage is null);

        json.WriteString("model"u8, attempt.Identity.Model);
        json.WriteString("provider"u8, attempt.Identity.Provider);
        json.WritePropertyName("usage"u8);
        attempt.Meter.WriteUsage(json);
        json.WriteEndObject();
        await json.FlushAsync(CancellationToken.None).ConfigureAwait(false);

        // The charge and the record are committed before the client has the vectors.
        await attempt.Settlement.CommitAsync(attempt.ClientAborted).ConfigureAwait(false);

        var http = attempt.Http.Response;
        http.StatusCode = StatusCodes.Status200OK;
        http.ContentType = "application/json";
        http.ContentLength = output.WrittenCount;
        try
        {
            await http.Body.WriteAsync(output.WrittenMemory, attempt.ClientAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && attempt.ClientAborted.IsCancellationRequested)
        {
            // The embeddings were made and paid for; only the client is gone.
        }
        return AttemptOutcome.Delivered;
    }
}
