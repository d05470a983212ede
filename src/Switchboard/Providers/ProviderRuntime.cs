using Switchboard.Catalog;

namespace Switchboard.Providers;

/// <summary>A provider ready to call: catalog facts plus its credential, adapter and long-lived HTTP client.</summary>
internal sealed class ProviderRuntime(
    ProviderInfo info,
    string displayName,
    Uri baseUrl,
    ProviderCredential? credential,
    string? missingSetting,
    IProviderAdapter adapter,
    HttpMessageInvoker http,
    bool isByok = false,
    bool http2 = false,
    bool isAccountKey = false) : IDisposable
{
    public ProviderInfo Info { get; } = info;

    /// <summary>The name responses carry in <c>provider</c>: the catalog name, or <c>Simulator</c> in demo mode.</summary>
    public string DisplayName { get; } = displayName;
    public Uri BaseUrl { get; } = baseUrl;
    public ProviderCredential? Credential { get; } = credential;

    /// <summary>The setting to set when the provider cannot be called for lack of a credential (e.g. <c>OPENAI_API_KEY</c>).</summary>
    public string? MissingSetting { get; } = missingSetting;
    public IProviderAdapter Adapter { get; } = adapter;

    /// <summary>
    /// <see cref="HttpMessageInvoker"/>, not HttpClient: it returns as soon as headers arrive and has no
    /// default 100 s timeout to cut a long generation short.
    /// </summary>
    public HttpMessageInvoker Http { get; } = http;

    public bool IsConfigured => MissingSetting is null;

    /// <summary>
    /// HTTP/1.1, upgraded to HTTP/2 when a TLS provider offers it; or, for a provider configured for HTTP/2, HTTP/2
    /// only (prior knowledge over cleartext, since there is no TLS handshake to negotiate it in).
    /// </summary>
    public Version HttpVersion { get; } = http2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11;

    public HttpVersionPolicy HttpVersionPolicy { get; } = !http2 ? HttpVersionPolicy.RequestVersionOrHigher
        : baseUrl.Scheme == Uri.UriSchemeHttps ? HttpVersionPolicy.RequestVersionOrLower : HttpVersionPolicy.RequestVersionExact;

    /// <summary>
    /// The credential is the account's own (bring your own key): the provider bills the account directly, so
    /// credits pay only <c>Switchboard:Billing:ByokFee</c> of the list price.
    /// </summary>
    public bool IsByok { get; } = isByok;

    /// <summary>
    /// The credential is one account's own (Settings → Providers), not the gateway's: the provider's refusals of it
    /// (401, 403, 429) say nothing about the endpoint's health for everyone else.
    /// </summary>
    public bool IsAccountKey { get; } = isAccountKey;

    /// <summary>
    /// This provider called with an account's own key, billed as BYOK. Shares this runtime's HTTP client (and its
    /// connections); only the registry's own runtimes are disposed.
    /// </summary>
    public ProviderRuntime WithAccountKey(ProviderCredential credential) =>
        new(Info, DisplayName, BaseUrl, credential, missingSetting: null, Adapter, Http, isByok: true, http2, isAccountKey: true);

    public void Dispose() => Http.Dispose();
}
