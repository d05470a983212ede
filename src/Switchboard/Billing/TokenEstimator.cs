using System.Text.Json;

namespace Switchboard.Billing;

/// <summary>
/// Token counts the gateway works out itself, without a tokenizer: to size a reservation before a request
/// is sent, and to charge for output a provider never reported usage for (a stream cut off mid-way).
/// One token per 4 UTF-8 bytes, rounded up, which is generous for English and code.
/// </summary>
internal static class TokenEstimator
{
    /// <summary>What an inline image or file (a <c>data:</c> URL) counts for, rather than its base64 length.</summary>
    public const int InlineMediaTokens = 1_600;

    public static long FromBytes(long bytes) => (bytes + 3) / 4;

    /// <summary>
    /// Prompt tokens of a request, from its whole JSON body: markup and parameters included, so the estimate
    /// errs high. <c>data:</c> URLs count <see cref="InlineMediaTokens"/> each.
    /// </summary>
    public static long Prompt(ReadOnlySpan<byte> body)
    {
        long bytes = body.Length;
        long media = 0;
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.StartsWith("data:"u8))
                {
                    bytes -= reader.ValueSpan.Length;
                    media++;
                }
            }
        }
        catch (JsonException)
        {
            // The body was validated before; a failure here only means the estimate keeps the raw length.
        }
        return FromBytes(bytes) + media * InlineMediaTokens;
    }
}
