using Switchboard.Infrastructure;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Anthropic;

/// <summary>Claude's errors: <c>{"type":"error","error":{"type","message"}}</c>, in a response or as a stream event.</summary>
internal static class AnthropicErrors
{
    public static UpstreamFailure FromResponse(int status, ReadOnlySpan<byte> body, int? retryAfterSeconds)
    {
        var (type, message) = Read(body);
        return new UpstreamFailure(FailureKind.HttpStatus, message ?? $"Anthropic returned HTTP {status}{(type is null ? "" : $" ({type})")}.",
            status, OpenAIErrors.Text(body), retryAfterSeconds);
    }

    /// <summary>An <c>error</c> event after a 200: the status it would have had, so retries and reports stay right.</summary>
    public static UpstreamFailure FromEvent(ReadOnlySpan<byte> data)
    {
        var (type, message) = Read(data);
        var status = type switch
        {
            "overloaded_error" => 529,
            "rate_limit_error" => 429,
            "invalid_request_error" => 400,
            "authentication_error" => 401,
            "permission_error" => 403,
            "not_found_error" => 404,
            "request_too_large" => 413,
            "timeout_error" => 504,
            _ => 500,
        };
        return new UpstreamFailure(FailureKind.InvalidResponse, message ?? $"Anthropic reported {type ?? "an error"}.", status, OpenAIErrors.Text(data));
    }

    private static (string? Type, string? Message) Read(ReadOnlySpan<byte> body)
    {
        // Not JSON (an HTML page from a proxy in front of Anthropic), or not the error shape: the status says enough.
        using var document = JsonText.TryParse(body);
        return document is not null && JsonElements.TryGetObject(document.RootElement, "error", out var error)
            ? (JsonElements.String(error, "type"), JsonElements.String(error, "message"))
            : (null, null);
    }
}
