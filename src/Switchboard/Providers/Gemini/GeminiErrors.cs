using System.Globalization;
using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Gemini's errors: Google's <c>{"error":{"code","message","status","details"}}</c> (or, from a stream without
/// <c>alt=sse</c>, the same inside an array), the same object inside a 200, and a prompt refused outright.
/// </summary>
internal static class GeminiErrors
{
    public static UpstreamFailure FromResponse(int status, ReadOnlySpan<byte> body, int? retryAfterSeconds)
    {
        string? message = null;
        int? retryDelay = null;
        // Not JSON (an HTML page from a proxy in front of Google): the status says enough.
        using var document = JsonText.TryParse(body);
        if (document is not null && Error(document.RootElement) is { } error)
        {
            message = GeminiRequestWriter.String(error, "message");
            retryDelay = RetryDelay(error);
        }
        return new UpstreamFailure(FailureKind.HttpStatus, message ?? $"Gemini returned HTTP {status}.", status, OpenAIErrors.Text(body), retryAfterSeconds ?? retryDelay);
    }

    /// <summary>An <c>error</c> object in a 200 body or stream event: the upstream failed after accepting the request.</summary>
    public static UpstreamFailure FromInBand(JsonElement error, ReadOnlySpan<byte> whole)
    {
        int? status = JsonElements.Int32(error, "code") is { } value && value is >= 400 and < 600 ? value : null;
        var message = GeminiRequestWriter.String(error, "message") ?? "Gemini reported an error.";
        return new UpstreamFailure(FailureKind.InvalidResponse, message, status, OpenAIErrors.Text(whole), RetryDelay(error));
    }

    /// <summary>
    /// A prompt Gemini refused to answer at all (no candidates, <c>promptFeedback.blockReason</c>). Reported as a 400:
    /// the request itself is the problem, so it goes back to the client as is and is never retried elsewhere.
    /// </summary>
    public static UpstreamFailure? Blocked(JsonElement response, ReadOnlySpan<byte> whole)
    {
        if (!JsonElements.TryGet(response, "promptFeedback", out var feedback) || GeminiRequestWriter.String(feedback, "blockReason") is not { } reason)
        {
            return null;
        }
        var detail = GeminiRequestWriter.String(feedback, "blockReasonMessage");
        var message = $"Gemini blocked the prompt ({reason}){(detail is null ? "." : ": " + detail)}";
        return new UpstreamFailure(FailureKind.HttpStatus, message, 400, OpenAIErrors.Text(whole));
    }

    public static JsonElement? Error(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
        {
            root = root[0];
        }
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            ? error
            : null;
    }

    /// <summary>Seconds from a <c>google.rpc.RetryInfo</c> detail (<c>"retryDelay":"34.4s"</c>), rounded up.</summary>
    private static int? RetryDelay(JsonElement error)
    {
        if (!error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        foreach (var detail in details.EnumerateArray())
        {
            if (GeminiRequestWriter.String(detail, "@type")?.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal) == true
                && GeminiRequestWriter.String(detail, "retryDelay") is { } delay && delay.EndsWith('s')
                && double.TryParse(delay.AsSpan(0, delay.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return (int)Math.Ceiling(seconds);
            }
        }
        return null;
    }
}
