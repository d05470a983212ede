using Switchboard.Api;
using Switchboard.Infrastructure;

namespace Switchboard.Completions;

/// <summary>The legacy completions API's way in: the client's body in the internal form.</summary>
internal static class CompletionsRequestReader
{
    /// <summary>The body as the chat request it stands for (<see cref="CompletionsRequestTranslator"/>), or why it cannot be.</summary>
    public static bool TryTranslate(ReadOnlyMemory<byte> body, out PooledBufferWriter? chatBody, out ApiError? error)
    {
        var output = new PooledBufferWriter(body.Length + 256);
        if (CompletionsRequestTranslator.TryTranslate(body.Span, output, out error))
        {
            chatBody = output;
            return true;
        }
        output.Dispose();
        chatBody = null;
        return false;
    }
}
