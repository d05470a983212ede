using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Simulator.Hosting;

/// <summary>Writes complete (non-streamed) bodies with an exact Content-Length.</summary>
internal static class ResponseBodies
{
    public const string JsonContentType = "application/json";

    /// <summary>
    /// Relaxed escaping emits non-ASCII as raw UTF-8 like real providers do; these bodies are
    /// never embedded in HTML. Validation is skipped because the writers are fixed code paths.
    /// </summary>
    public static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static Task WriteJsonAsync<TState>(
        HttpResponse response,
        int statusCode,
        TState state,
        Action<Utf8JsonWriter, TState> write,
        CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            write(writer, state);
        }

        return WriteRawAsync(response, statusCode, JsonContentType, buffer.WrittenMemory, cancellationToken);
    }

    public static async Task WriteRawAsync(
        HttpResponse response,
        int statusCode,
        string contentType,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        if (statusCode is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
        {
            return; // Kestrel rejects a body for these.
        }

        response.ContentType = contentType;
        response.ContentLength = body.Length;
        var result = await response.BodyWriter.WriteAsync(body, cancellationToken);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("The client disconnected.", cancellationToken);
        }
    }
}
