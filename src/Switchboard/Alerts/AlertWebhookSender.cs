using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Alerts;

/// <summary>
/// Posts one alert body to one webhook URL. With <see cref="AlertsOptions.WebhookSecret"/> set, the post carries
/// <c>X-Switchboard-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>. A failure is a value
/// (<see cref="WebhookFailure"/>), never an exception, and never names the URL, which may carry a token of the
/// receiver's. Accounts' URLs go through <see cref="WebhookHostGuard"/> on every connection; the operator's does not.
/// </summary>
internal sealed class AlertWebhookSender : IDisposable
{
    public const string SignatureHeader = "X-Switchboard-Signature";
    public const string EventHeader = "X-Switchboard-Event";

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly HttpClient _guarded;
    private readonly HttpClient _trusted;
    private readonly byte[]? _secret;
    private readonly TimeSpan _timeout;

    public AlertWebhookSender(AlertsOptions options, WebhookHostGuard guard)
    {
        _timeout = options.WebhookTimeout;
        _secret = options.WebhookSecret is { } secret ? Encoding.UTF8.GetBytes(secret) : null;
        _guarded = CreateClient(guard.ConnectAsync);
        _trusted = CreateClient(connect: null);
    }

    /// <summary>The hex HMAC-SHA256 of <paramref name="body"/>, or null when no secret is configured.</summary>
    public string? Signature(byte[] body) => _secret is null ? null : $"sha256={Convert.ToHexStringLower(HMACSHA256.HashData(_secret, body))}";

    /// <returns>Null when the receiver answered 2xx; otherwise what went wrong.</returns>
    public async Task<WebhookFailure?> PostAsync(WebhookTarget target, string eventType, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add(EventHeader, eventType);
        if (Signature(body) is { } signature)
        {
            request.Headers.Add(SignatureHeader, signature);
        }
        try
        {
            var client = target.Trusted ? _trusted : _guarded;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? null : new WebhookFailure(
                $"delivery failed: the endpoint answered {status / 100}xx{(status / 100 == 3 ? " (redirects are not followed)" : "")}", $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var waited = $"no answer within {_timeout.TotalSeconds:0.#} s";
            return new WebhookFailure($"delivery failed: {waited}", waited);
        }
        catch (HttpRequestException ex)
        {
            return new WebhookFailure(Describe(ex), $"{ex.HttpRequestError}: {ex.Message}");
        }
    }

    public void Dispose()
    {
        _guarded.Dispose();
        _trusted.Dispose();
    }

    /// <summary>Only which step failed: whether a port is closed, filtered or speaks something else is not the account's business.</summary>
    private static string Describe(HttpRequestException ex)
    {
        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookHostGuard.RefusedException)
            {
                return "delivery failed: the host is not a public address";
            }
        }
        return ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.ProxyTunnelError =>
                "delivery failed: could not connect",
            HttpRequestError.SecureConnectionError => "delivery failed: could not connect securely (TLS)",
            _ => "delivery failed: no valid HTTP answer",
        };
    }

    private HttpClient CreateClient(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect)
    {
        var handler = new SocketsHttpHandler
        {
            // No redirects: a receiver must answer at the URL it gave, and following one would post the alert
            // somewhere nobody configured, past the checks made on the URL that was.
            AllowAutoRedirect = false,
            UseCookies = false,
            // Accounts' posts ignore the environment's proxy: through one, the guard would vet the proxy's address,
            // not the receiver's. The operator's keep it, as they always had.
            UseProxy = connect is null,
            ConnectTimeout = _timeout < TimeSpan.FromSeconds(10) ? _timeout : TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // Webhook receivers are anyone's URLs: with tracing on, no trace context goes to them.
            ActivityHeadersPropagator = System.Diagnostics.DistributedContextPropagator.CreateNoOutputPropagator(),
        };
        if (connect is not null)
        {
            handler.ConnectCallback = connect;
        }
        var client = new HttpClient(handler) { Timeout = _timeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Switchboard-Webhook/1");
        return client;
    }
}
