using System.Text;

namespace Switchboard.Bench.Targets;

/// <summary>
/// The request bodies, identical for every target. The <c>simulator</c> object scripts the simulator's answer;
/// the gateway forwards it untouched.
/// </summary>
internal static class RequestBodies
{
    /// <summary>Tokens in a non-streaming answer: a short chat reply, about 600 bytes of JSON.</summary>
    public const int NonStreamingTokens = 8;

    public static string NonStreaming { get; } =
        $$$"""{"model":"{{{BenchCatalog.Model}}}","messages":[{"role":"user","content":"Say something short."}],"simulator":{"tokens":{{{NonStreamingTokens}}}}}""";

    public static string Streaming(int events) =>
        $$$"""{"model":"{{{BenchCatalog.Model}}}","stream":true,"messages":[{"role":"user","content":"Say something long."}],"simulator":{"tokens":{{{events}}}}}""";

    public static byte[] Utf8(string body) => Encoding.UTF8.GetBytes(body);
}
