using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Api;

/// <summary>
/// Requests HttpClient cannot send, written byte by byte over a socket: every answer, Kestrel's own rejections
/// included, is an error in our shape with the right status.
/// </summary>
public sealed class MalformedHttpTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    public static TheoryData<string, string, int> AppLevel => new()
    {
        { "query value that does not bind", $"GET /web/ledger?charges=x HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {GatewayFactory.ManagementKey}\r\nConnection: close\r\n\r\n", 400 },
        { "unknown page", "GET /no/such/page HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 404 },
        { "invalid chunk size", "POST /web/session HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400 },
        { "Content-Length and chunked both", "POST /web/session HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(AppLevel))]
    public async Task Malformed_requests_that_reach_the_gateway_get_an_error_body_in_our_shape(string what, string request, int status)
    {
        var answer = await SendRawAsync(request);

        Assert.True(answer.Status == status, $"{what}: expected {status}, got:\n{answer.Raw}");
        var error = Assert.IsType<JsonObject>(JsonNode.Parse(answer.Body)!["error"], exactMatch: false);
        Assert.Equal(status, error["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.Equal("nosniff", answer.Header("X-Content-Type-Options"));
    }

    [Fact]
    public async Task A_query_value_that_does_not_bind_names_the_parameter()
    {
        var answer = await SendRawAsync($"GET /web/ledger?charges=x HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {GatewayFactory.ManagementKey}\r\nConnection: close\r\n\r\n");

        Assert.Contains("charges", JsonNode.Parse(answer.Body)!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int> KestrelLevel => new()
    {
        { "garbage request line", "GARBAGE\r\n\r\n", 400 },
        { "no HTTP version", "GET /\r\n\r\n", 400 },
        { "header without a colon", "GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n", 400 },
        { "NUL in the request target", "GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "%00 in an API path", "GET /api/v1/models/%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "%00 in a page path", "GET /%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "HTTP/1.1 without Host", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 400 },
        { "URL longer than the request line limit", $"GET /{new string('a', 10_000)} HTTP/1.1\r\nHost: h\r\n\r\n", 414 },
        { "headers larger than their limit", $"GET / HTTP/1.1\r\nHost: h\r\nX-Big: {new string('b', 40_000)}\r\n\r\n", 431 },
    };

    [Theory]
    [MemberData(nameof(KestrelLevel))]
    public async Task Requests_Kestrel_rejects_before_any_middleware_get_an_error_body_in_our_shape_too(string what, string request, int status)
    {
        var answer = await SendRawAsync(request);

        Assert.True(answer.Status == status, $"{what}: expected {status}, got:\n{answer.Raw}");
        var error = Assert.IsType<JsonObject>(JsonNode.Parse(answer.Body)!["error"], exactMatch: false);
        Assert.Equal(status, error["code"]!.GetValue<int>());
        Assert.Equal("application/json", answer.Header("Content-Type"));
    }

    [Fact]
    public async Task On_a_kept_alive_connection_the_answer_before_a_rejection_is_untouched_and_the_rejection_has_its_body()
    {
        var answer = await SendRawAsync("GET /health HTTP/1.1\r\nHost: h\r\n\r\nGET /api/v1/models HTTP/1.1\r\nHost: h\r\n\r\nGARBAGE\r\n\r\n");

        var first = answer.Raw.IndexOf("HTTP/1.1 200", StringComparison.Ordinal);
        var second = answer.Raw.IndexOf("HTTP/1.1 200", first + 1, StringComparison.Ordinal);
        var rejection = answer.Raw.IndexOf("HTTP/1.1 400", StringComparison.Ordinal);
        Assert.True(first == 0 && second > first && rejection > second, answer.Raw);
        Assert.Contains("{\"status\":\"ok\"}", answer.Raw[..second], StringComparison.Ordinal);
        var error = JsonNode.Parse(RawAnswer.Parse(answer.Raw[rejection..]).Body)!["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
    }

    private async Task<RawAnswer> SendRawAsync(string request)
    {
        var address = Fixture.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var connection = tcp.GetStream();
        await connection.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var read = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var buffer = new MemoryStream();
        try
        {
            await connection.CopyToAsync(buffer, read.Token);
        }
        catch (IOException)
        {
            // Kestrel may reset after its answer when it did not read all that was sent: what arrived counts.
        }
        return RawAnswer.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private sealed record RawAnswer(string Raw, int Status, string Head, string Body)
    {
        public static RawAnswer Parse(string raw)
        {
            var end = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var head = end < 0 ? raw : raw[..end];
            var body = end < 0 ? "" : raw[(end + 4)..];
            var status = raw.Length >= 12 && int.TryParse(raw.AsSpan(9, 3), out var code) ? code : 0;
            if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
            {
                body = Dechunk(body);
            }
            return new RawAnswer(raw, status, head, body);
        }

        public string? Header(string name) => Head.Split("\r\n")
            .FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim();

        private static string Dechunk(string chunked)
        {
            var body = new StringBuilder();
            var position = 0;
            while (position < chunked.Length)
            {
                var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
                var size = Convert.ToInt32(chunked[position..lineEnd], 16);
                if (size == 0)
                {
                    break;
                }
                body.Append(chunked, lineEnd + 2, size);
                position = lineEnd + 2 + size + 2;
            }
            return body.ToString();
        }
    }
}
