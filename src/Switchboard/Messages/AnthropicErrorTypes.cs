namespace Switchboard.Messages;

/// <summary>Anthropic's <c>error.type</c> for an HTTP status, as its API and SDKs name them.</summary>
internal static class AnthropicErrorTypes
{
    public static string FromStatus(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        // 529 is Anthropic's own "overloaded"; the gateway's 503 means the same thing to a client: try again later.
        503 or 529 => "overloaded_error",
        // The SDKs' GatewayTimeoutError.
        504 => "timeout_error",
        >= 500 => "api_error",
        >= 400 => "invalid_request_error",
        _ => "api_error", // not an error status at all, so nothing more specific can be said
    };
}
