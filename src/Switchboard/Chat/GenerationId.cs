using Switchboard.Requests;

namespace Switchboard.Chat;

/// <summary>OpenRouter's id format: <c>gen-&lt;unix seconds&gt;-&lt;20 alphanumerics&gt;</c>.</summary>
internal static class GenerationId
{
    private static readonly char[] Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".ToCharArray();

    public static string New(long unixSeconds)
    {
        Span<char> suffix = stackalloc char[20];
        Random.Shared.GetItems(Alphabet, suffix);
        return $"gen-{unixSeconds}-{suffix}";
    }
}
