namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>
/// Malformed HTTP/1.1, written by hand: request lines, headers, chunked bodies (sizes that overflow, are not hex or
/// lie), lengths that lie, bodies cut short, <c>%00</c> and invalid UTF-8 in paths, queries that do not bind.
/// </summary>
internal static class RawRequests
{

    private const string Chat = "POST /api/v1/chat/completions HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {inference}\r\nContent-Type: application/json\r\n";
    private const string Keys = "POST /api/v1/keys HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {auth}\r\nContent-Type: application/json\r\n";
    private const string Settings = "PATCH /web/settings HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {auth}\r\nContent-Type: application/json\r\n";
    private const string Body = """{"model":"test/tri","messages":[{"role":"user","content":"hi"}]}""";

    public static IEnumerable<RawRequest> All()
    {
        // The request line.
        yield return new("garbage request line", "GARBAGE\r\n\r\n");
        yield return new("method only", "GET\r\n\r\n");
        yield return new("no Host header", "GET /api/v1/models HTTP/1.1\r\nConnection: close\r\n\r\n");
        yield return new("two Host headers", "GET /api/v1/models HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n");
        yield return new("unknown HTTP version", "GET /api/v1/models HTTP/1.7\r\nHost: {host}\r\nConnection: close\r\n\r\n", KestrelStatus: 505);
        yield return new("absolute URI for another host", "GET http://elsewhere.example/api/v1/models HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return new("space in the target", "GET /api/v1/mo dels HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return new("control character in the target", "GET /api/v1/\u0001 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return new("unknown method", "FROB /api/v1/models HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return new("request line of 20 KB", $"GET /api/v1/{new string('a', 20_000)} HTTP/1.1\r\nHost: {{host}}\r\nConnection: close\r\n\r\n");
        yield return new("bare LF line ends", "GET /api/v1/models HTTP/1.1\nHost: {host}\nConnection: close\n\n");

        // Paths.
        yield return new("%00 in an API path", "GET /api/v1/models%00 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return new("%00 in the chat path", Chat.Replace("completions ", "completions%00 ", StringComparison.Ordinal) + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
        yield return new("%00 in a web path", "GET /web/ledger%00 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return new("%ff in a path", "GET /api/v1/keys/%ff HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {auth}\r\nConnection: close\r\n\r\n");
        yield return new("dot segments out of the API", "GET /api/v1/../../../etc/passwd HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return new("dot segments within the API", "GET /api/v1/keys/../models HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return new("encoded slash", "GET /api/v1/models/a%2F..%2F..%2Fb/endpoints HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        // Queries that do not bind.
        yield return new("ledger charges=x, signed in", "GET /web/ledger?charges=x HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {auth}\r\nConnection: close\r\n\r\n");
        yield return new("ledger charges=x, anonymous", "GET /web/ledger?charges=x HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return new("query of invalid UTF-8", "GET /api/v1/generation?id=%ff%fe HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {auth}\r\nConnection: close\r\n\r\n");
        yield return new("activity date=x", "GET /api/v1/activity?date=x HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {auth}\r\nConnection: close\r\n\r\n");

        // Headers.
        yield return new("header of 64 KB", $"GET /api/v1/models HTTP/1.1\r\nHost: {{host}}\r\nX-Big: {new string('b', 64 * 1024)}\r\nConnection: close\r\n\r\n");
        yield return new("200 headers", "GET /api/v1/models HTTP/1.1\r\nHost: {host}\r\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"X-H{i}: v\r\n")) + "Connection: close\r\n\r\n");
        yield return new("header without a colon", "GET /api/v1/models HTTP/1.1\r\nHost: {host}\r\nNoColonHere\r\nConnection: close\r\n\r\n");
        yield return new("control character in a header", "GET /api/v1/models HTTP/1.1\r\nHost: {host}\r\nX-Bad: a\u0000b\r\nConnection: close\r\n\r\n");
        yield return new("folded header", "GET /api/v1/models HTTP/1.1\r\nHost: {host}\r\nX-Fold: a\r\n b\r\nConnection: close\r\n\r\n");
        yield return new("authorization that is not ASCII", "GET /api/v1/keys HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer \u00ff\u00fe\r\nConnection: close\r\n\r\n");
        yield return new("authorization of 8 KB", $"GET /api/v1/keys HTTP/1.1\r\nHost: {{host}}\r\nAuthorization: Bearer {new string('k', 8192)}\r\nConnection: close\r\n\r\n");

        // Lengths.
        yield return new("Content-Length not a number", Chat + "Content-Length: abc\r\nConnection: close\r\n\r\n{}");
        yield return new("negative Content-Length", Chat + "Content-Length: -5\r\nConnection: close\r\n\r\n{}");
        yield return new("two different Content-Lengths", Chat + "Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}");
        yield return new("Content-Length beyond any long", Chat + "Content-Length: 99999999999999999999999\r\nConnection: close\r\n\r\n{}");
        yield return new("chat body cut short", Chat + $"Content-Length: {Body.Length + 50}\r\nConnection: close\r\n\r\n{Body}", HalfClose: true);
        yield return new("keys body cut short", Keys + "Content-Length: 100\r\nConnection: close\r\n\r\n{\"name\":", HalfClose: true);
        yield return new("settings body cut short", Settings + "Content-Length: 100\r\nConnection: close\r\n\r\n{\"store_prompts\":", HalfClose: true);
        yield return new("chat body cut short, the client waiting", Chat + $"Content-Length: {Body.Length + 50}\r\nConnection: close\r\n\r\n{Body}");
        yield return new("body with Expect: 100-continue", Chat + $"Expect: 100-continue\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}");

        // Chunked bodies.
        foreach (var (target, name) in new[] { (Chat, "chat"), (Keys, "keys"), (Settings, "settings") })
        {
            var chunked = target + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            yield return new($"{name}: chunk size not hex", chunked + "zz\r\n{}\r\n0\r\n\r\n");
            yield return new($"{name}: chunk size overflow", chunked + "fffffffffffffffffffffff\r\n{}\r\n0\r\n\r\n");
            yield return new($"{name}: chunk size just past int", chunked + "80000000\r\n{}\r\n0\r\n\r\n", HalfClose: true);
            yield return new($"{name}: negative chunk size", chunked + "-2\r\n{}\r\n0\r\n\r\n");
            yield return new($"{name}: chunk longer than its size", chunked + "1\r\n{}\r\n0\r\n\r\n");
            yield return new($"{name}: chunk without its CRLF", chunked + "2\r\n{}0\r\n\r\n");
            yield return new($"{name}: chunk extension of junk", chunked + "2;\u0001\u0002\r\n{}\r\n0\r\n\r\n");
            yield return new($"{name}: no last chunk", chunked + "2\r\n{}\r\n", HalfClose: true);
            yield return new($"{name}: chunked and a Content-Length", target + "Transfer-Encoding: chunked\r\nContent-Length: 2\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        }
        yield return new("transfer coding that is not chunked", Chat + "Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n{}");
        yield return new("two transfer codings", Chat + "Transfer-Encoding: chunked, identity\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    }
}
