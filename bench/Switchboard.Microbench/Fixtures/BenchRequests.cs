using System.Text;
using Switchboard.Chat;
using Switchboard.Requests;

namespace Switchboard.Microbench.Fixtures;

internal static class BenchRequests
{
    /// <summary>Parses a request the benchmarks rely on; a fixture the gateway rejects is a bug in the fixture.</summary>
    public static ChatRequest Parse(ReadOnlyMemory<byte> body) =>
        ChatRequestParser.TryParse(body, out var request, out var error)
            ? request!
            : throw new InvalidOperationException($"The benchmark request is invalid: {error!.Message}");

    public static ChatRequest Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));
}
