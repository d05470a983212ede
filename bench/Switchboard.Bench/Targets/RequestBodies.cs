using System.Globalization;
using System.Text;

namespace Switchboard.Bench.Targets;

/// <summary>
/// The request bodies, identical for every target. Each scripts the simulator's answer with a
/// <c>&lt;simulator&gt;…&lt;/simulator&gt;</c> script at the end of the user message rather than with a top-level
/// <c>simulator</c> field: Portkey drops body fields it does not know, and message text passes every proxy unchanged.
/// </summary>
internal static class RequestBodies
{
    /// <summary>Tokens in a non-streaming answer: a short chat reply, about 600 bytes of JSON.</summary>
    public const int NonStreamingTokens = 8;

    public static string NonStreaming { get; } = NonStreamingFor(BenchCatalog.Model);

    /// <summary>The same short non-streaming request for another model (the scaling phase's catalogs).</summary>
    public static string NonStreamingFor(string model) => Chat(model, stream: false, "Say something short.", $"\"tokens\":{NonStreamingTokens}");

    /// <summary>
    /// <paramref name="events"/> content events back to back, each stamped with its send time (<c>stamp_content</c>),
    /// and <paramref name="intervalMs"/> apart when not zero.
    /// </summary>
    public static string Streaming(int events, int intervalMs = 0) =>
        Chat(BenchCatalog.Model, stream: true, "Say something long.",
            Invariant($"\"tokens\":{events},\"stamp_content\":true{(intervalMs > 0 ? Invariant($",\"chunk_delay_ms\":{intervalMs}") : "")}"));

    /// <summary>A slow generation: one unstamped content event every <paramref name="intervalMs"/>.</summary>
    public static string SlowStream(int events, int intervalMs) =>
        Chat(BenchCatalog.Model, stream: true, "Write slowly.", Invariant($"\"tokens\":{events},\"chunk_delay_ms\":{intervalMs}"));

    /// <summary>A request of the realistic mix: the model waits <paramref name="latencyMs"/> before it answers.</summary>
    public static string Mix(string model, bool stream, int latencyMs, int tokens) =>
        Chat(model, stream, "Answer like a model would.", Invariant($"\"latency_ms\":{latencyMs},\"tokens\":{tokens}"));

    /// <summary>Asks the simulator to answer exactly <paramref name="text"/> (letters, digits and spaces only).</summary>
    public static string Echo(string text) => Chat(BenchCatalog.Model, stream: false, "Repeat after me.", $"\"content\":\"{text}\"");

    public static byte[] Utf8(string body) => Encoding.UTF8.GetBytes(body);

    /// <param name="script">The script object's members, JSON with its quotes unescaped; escaped here for the message string.</param>
    private static string Chat(string model, bool stream, string prompt, string script) =>
        $$"""{"model":"{{model}}",{{(stream ? "\"stream\":true," : "")}}"messages":[{"role":"user","content":"{{prompt}} <simulator>{{{script.Replace("\"", "\\\"", StringComparison.Ordinal)}}}</simulator>"}]}""";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
