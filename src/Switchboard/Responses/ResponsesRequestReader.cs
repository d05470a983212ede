using Switchboard.Api;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>The Responses API's way in: the client's body in the internal form.</summary>
internal static class ResponsesRequestReader
{
    /// <summary>The body as the chat request it stands for (<see cref="ResponsesRequestTranslator"/>), or why it cannot be.</summary>
    public static bool TryTranslate(ReadOnlyMemory<byte> body, out PooledBufferWriter? chatBody, out ApiError? error)
    {
        var output = new PooledBufferWriter(body.Length + 256);
        if (ResponsesRequestTranslator.TryTranslate(body.Span, output, out var message))
        {
            (chatBody, error) = (output, null);
            return true;
        }
        output.Dispose();
        (chatBody, error) = (null, ApiError.BadRequest(message ?? "The request is not a valid Responses API request.", ParamOf(message)));
        return false;
    }

    /// <summary>The field a translation error names (the text before its first colon), for the error's <c>param</c>.</summary>
    private static string? ParamOf(string? message) =>
        message?.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon && !message[..colon].Contains(' ') ? message[..colon] : null;
}
