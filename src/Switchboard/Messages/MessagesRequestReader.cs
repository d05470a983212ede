using Switchboard.Api;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>The Messages API's way in: the client's body in the internal form, and the headers that go with it.</summary>
internal static class MessagesRequestReader
{
    /// <summary>The body as the chat request it stands for (<see cref="MessagesRequestTranslator"/>), or why it cannot be.</summary>
    /// <param name="counting">For <c>count_tokens</c>, whose requests have no <c>max_tokens</c>.</param>
    public static bool TryTranslate(ReadOnlyMemory<byte> body, out PooledBufferWriter? chatBody, out ApiError? error, bool counting = false)
    {
        var output = new PooledBufferWriter(body.Length + 256);
        if (MessagesRequestTranslator.TryTranslate(body.Span, output, out var message, requireMaxTokens: !counting))
        {
            (chatBody, error) = (output, null);
            return true;
        }
        output.Dispose();
        (chatBody, error) = (null, ApiError.BadRequest(message ?? "The request is not a valid Messages API request."));
        return false;
    }

    /// <summary>The client's <c>anthropic-beta</c> flags, which a Claude endpoint receives as sent.</summary>
    public static string? Beta(HttpRequest request) =>
        request.Headers["anthropic-beta"] is { Count: > 0 } beta ? string.Join(',', beta.ToArray()) : null;
}
