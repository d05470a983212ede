using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>
/// What every Anthropic endpoint does first: stamp a request id, require the version header and validate the body,
/// answering the 400 itself, so <c>messages</c> and <c>count_tokens</c> reject alike.
/// </summary>
internal static class AnthropicIngress
{
    /// <param name="counting">A <c>count_tokens</c> body (see <see cref="AnthropicRequestParser.TryParse"/>).</param>
    /// <returns>null when the request was rejected (the error is written).</returns>
    public static async Task<AnthropicRequest?> ReadAsync(SimulatedExchange exchange, byte[] body, bool counting)
    {
        var response = exchange.Http.Response;
        response.Headers[AnthropicErrorWriter.RequestIdHeader] = RandomIds.Next("req_");

        // x-api-key is recorded but not checked, so tests need no real keys; the version header is what SDKs always send.
        var headers = exchange.Http.Request.Headers;
        if (!headers.ContainsKey("anthropic-version"))
        {
            await AnthropicErrorWriter.WriteInvalidRequestAsync(response, "anthropic-version: header is required", exchange.Aborted);
            return null;
        }

        var systemMessages = headers["anthropic-beta"].ToString().Contains("mid-conversation-system", StringComparison.Ordinal);
        if (!AnthropicRequestParser.TryParse(body, exchange.Provider, systemMessages, counting, out var request, out var invalid))
        {
            await AnthropicErrorWriter.WriteInvalidRequestAsync(response, invalid, exchange.Aborted);
            return null;
        }

        return request;
    }
}
