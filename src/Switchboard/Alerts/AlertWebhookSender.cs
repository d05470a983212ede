using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Alerts;

/// <summary>
/// Posts one alert body to one webhook URL. With <see cref="AlertsOptions.WebhookSecret"/> set, the post carries
/// <c>X-Switchboard-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>. A failure is a value (what went
/// wrong, in words fit for the Credits screen), never an exception, and never names the URL, which may carry a
/// token of the receiver's.
/// </summary>
internal sealed class AlertWebhookSender : IDisposable
{
    public const string SignatureHeader = "X-Switchboard-Signature";
    public const string EventHeader = "X-Switchboard-Event";

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly HttpClient _client;
    private readonly byte[]? _secret;
    private readonly TimeSpan _timeout;

    public AlertWebhookSender(AlertsOptions options)
    {
        _timeout = options.WebhookTimeout;
        _secret = options.WebhookSecret is { } secret ? Encoding.UTF8.GetBytes(secret) : null;
        // One long-lived handler for every receiver. No redirects: a receiver must answer at the URL it gave, and
        // following one would post the alert somewhere nobody configured.
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = _timeout < TimeSpan.FromSeconds(10) ? _timeout : TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = _timeout,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Switchboard-Webhook/1");
    }

    /// <summary>The hex HMAC-SHA256 of <paramref name="body"/>, or null when no secret is configured.</summary>
    public string? Signature(byte[] body) => _secret is null ? null : $"sha256={Convert.ToHexStringLower(HMACSHA256.HashData(_secret, body))}";

    /// <returns>Null when the receiver answered 2xx; otherwise what went wrong.</returns>
    public async Task<string?> PostAsync(string url, string eventType, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add(EventHeader, eventType);
        if (Signature(body) is { } signature)
        {
            request.Headers.Add(SignatureHeader, signature);
        }
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {_timeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message; // e.g. "Connection refused (host:port)": the address, not the path or query
        }
    }

    public void Dispose() => _client.Dispose();
}
