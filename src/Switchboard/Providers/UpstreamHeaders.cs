namespace Switchboard.Providers;

/// <summary>
/// Headers of upstream requests, added as the strings they are sent as. The values are constants or credentials we
/// hold, so there is nothing to validate, and the typed header properties would allocate a parsed value (and, for
/// <c>Accept</c>, a collection) on every request.
/// </summary>
internal static class UpstreamHeaders
{
    public static ByteArrayContent JsonBody(byte[] buffer, int length)
    {
        var content = new ByteArrayContent(buffer, 0, length);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return content;
    }

    public static void Accept(HttpRequestMessage message, bool stream) =>
        message.Headers.TryAddWithoutValidation("Accept", stream ? "text/event-stream" : "application/json");
}
