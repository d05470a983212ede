using System.Text.RegularExpressions;

namespace Switchboard.Providers;

/// <summary>
/// Takes credentials and upstream account ids out of a provider's error text before anyone sees it. Providers echo
/// what they were sent: OpenAI names the (masked) key it refused, Google the project a key belongs to, proxies the
/// URL with its <c>?key=</c>. That text is the gateway's credential and the operator's account, so a tenant must
/// never read it in <c>message</c> or <c>metadata.raw</c>, and no log may keep it. The rule is written up in
/// docs/providers.md; it errs on the side of removing too much, since the status and the provider's own words
/// around the removed part still say what went wrong.
/// </summary>
internal static partial class ProviderErrorText
{
    public const string Redacted = "[redacted]";

    public static string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }
        // Headers and parameters first, so the value after "Bearer " or "key=" goes whole, whatever it looks like.
        text = AuthorizationValue().Replace(text, "$1" + Redacted);
        text = CredentialParameter().Replace(text, "$1" + Redacted);
        text = KnownKeyShape().Replace(text, Redacted);
        text = AccountId().Replace(text, Redacted);
        text = NamedAccountId().Replace(text, "$1" + Redacted);
        text = LongHex().Replace(text, Redacted);
        return LongToken().Replace(text, static match => LooksRandom(match.ValueSpan) ? Redacted : match.Value);
    }

    /// <summary>
    /// Mixed case, digits, and a long stretch without a separator: a generated token, not a word or a model name
    /// such as <c>Meta-Llama-3-70B-Instruct-Turbo</c>, whose parts are short.
    /// </summary>
    private static bool LooksRandom(ReadOnlySpan<char> token)
    {
        if (token.IndexOfAnyInRange('a', 'z') < 0 || token.IndexOfAnyInRange('A', 'Z') < 0 || token.IndexOfAnyInRange('0', '9') < 0)
        {
            return false;
        }
        var longest = 0;
        foreach (var range in token.SplitAny("-_"))
        {
            longest = Math.Max(longest, range.End.Value - range.Start.Value);
        }
        return longest >= 16;
    }

    /// <summary><c>Bearer …</c>, <c>Basic …</c>, and header-style <c>x-api-key: …</c> or <c>Authorization: …</c>.</summary>
    [GeneratedRegex("""(?i)(\b(?:bearer|basic)\s+|\b(?:authorization|x-api-key|x-goog-api-key|api-key|apikey|api_key)["']?\s*[:=]\s*["']?(?:bearer\s+)?)[^\s"',;&}]+""")]
    private static partial Regex AuthorizationValue();

    /// <summary>Query and form parameters that carry a secret: <c>?key=AIza…</c>, <c>&amp;access_token=…</c>, <c>secret=…</c>.</summary>
    [GeneratedRegex("""(?i)(\b(?:key|api_key|apikey|access_token|token|secret|client_secret|password|sig|signature)=)[^\s&"'<>]+""")]
    private static partial Regex CredentialParameter();

    /// <summary>
    /// Keys by their prefixes, masked ones included (<c>sk-proj-****abcd</c>): OpenAI and Anthropic <c>sk-…</c>,
    /// Google <c>AIza…</c>, AWS <c>AKIA…</c>/<c>ASIA…</c>, GitHub <c>ghp_…</c>, Groq <c>gsk_…</c>, xAI <c>xai-…</c>, and ours.
    /// </summary>
    [GeneratedRegex("""\b(?:sk|rk|pk)-[A-Za-z0-9_\-\*\.]{3,}[A-Za-z0-9_\-\*]|\bAIza[A-Za-z0-9_\-\*]{8,}|\b(?:AKIA|ASIA)[A-Z0-9\*]{8,}|\b(?:ghp|gho|ghs|gsk|xai)[_-][A-Za-z0-9_\-\*]{8,}""")]
    private static partial Regex KnownKeyShape();

    /// <summary>
    /// Upstream organisation, project and account ids by their prefixes: <c>org-…</c>, <c>proj_…</c>, <c>user-…</c>,
    /// <c>acct_…</c>; with a digit, so words such as <c>user-provided</c> stay.
    /// </summary>
    [GeneratedRegex("""\b(?:org|proj|user|acct|project|organization)[-_](?=[A-Za-z]*[0-9])[A-Za-z0-9]{6,}\b""")]
    private static partial Regex AccountId();

    /// <summary>
    /// An id named in the text: "organization abc123", "project 123456789012", "projects/my-proj-42",
    /// "account_id: 42…". Only values with a digit go, so "organization has" stays readable.
    /// </summary>
    [GeneratedRegex("""(?i)(\b(?:organi[sz]ations?|projects?|accounts?|tenants?|customers?)(?:[ _-]?id)?["']?(?:\s*[:=/]\s*|\s+)["'`]?)(?=[A-Za-z0-9_\-\.:]*[0-9])[A-Za-z0-9_\-\.:]{3,}""")]
    private static partial Regex NamedAccountId();

    /// <summary>32 hex digits or more: a key, a key's hash, or a session.</summary>
    [GeneratedRegex("""\b[0-9a-fA-F]{32,}\b""")]
    private static partial Regex LongHex();

    /// <summary>
    /// A run of 32 or more base64url characters (JWTs too: their dots split them into such runs). Not '/', so a
    /// path or a model id such as <c>mistralai/Mixtral-8x7B-Instruct</c> is not taken for one.
    /// </summary>
    [GeneratedRegex("""[A-Za-z0-9+_\-]{32,}={0,2}""")]
    private static partial Regex LongToken();
}
