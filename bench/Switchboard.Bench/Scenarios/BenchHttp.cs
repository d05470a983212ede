using System.Net;
using System.Net.Http.Headers;

namespace Switchboard.Bench.Scenarios;

/// <summary>HttpClient set-up shared by the .NET-side measurements: plain HTTP/1.1 keep-alive, no proxy, no decompression.</summary>
internal static class BenchHttp
{
    public static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>The inference key every measured request sends; set once the gateway is up.</summary>
    public static string ApiKey { get; set; } = "";

    public static HttpClient CreateClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public static HttpRequestMessage Post(Uri url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return request;
    }
}
