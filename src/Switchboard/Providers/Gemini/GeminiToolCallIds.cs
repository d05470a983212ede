using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Ids for function calls Gemini sent without one (most models). They are derived, not random: the same
/// generation, choice and call always get the same id, so the streamed and non-streamed forms agree and a
/// replayed response translates identically.
/// </summary>
internal static class GeminiToolCallIds
{
    public static string Create(string generationId, int choice, int callIndex)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{generationId}/{choice}/{callIndex}"), hash);
        return "call_" + Convert.ToHexStringLower(hash[..12]);
    }
}
