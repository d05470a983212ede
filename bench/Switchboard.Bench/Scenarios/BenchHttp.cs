using System.Net;
using System.Net.Http.Headers;
using Switchboard.Bench.Targets;

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

    /// <summary>
    /// A chat completion request to the target, with the target's own headers and its own key if it has one (a second
    /// gateway), else <paramref name="apiKey"/>, else <see cref="ApiKey"/>.
    /// </summary>
    public static HttpRequestMessage Post(Target target, byte[] body, string? apiKey = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, target.ChatCompletionsUrl) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.ApiKey ?? apiKey ?? ApiKey);
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>Sends a non-streaming request and reads the whole answer; anything but a 200 with a body fails the run.</summary>
    public static async Task CompleteAsync(HttpClient client, Target target, byte[] body, CancellationToken cancellationToken, string? apiKey = null)
    {
        using var request = Post(target, body, apiKey);
        byte[] answer;
        int status;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            status = (int)response.StatusCode;
            answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new BenchFailureException($"{target.Name}: request failed: {e.Message}");
        }

        if (status != 200 || answer.Length == 0)
        {
            throw new BenchFailureException($"{target.Name}: HTTP {status}: {System.Text.Encoding.UTF8.GetString(answer)}");
        }
    }
}
