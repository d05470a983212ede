using System.Buffers;
using System.Buffers.Text;

namespace Switchboard.Billing;

/// <summary>
/// Counts the pages of a base64 PDF by its page objects (<c>/Type /Page</c>, not <c>/Pages</c>), decoding a window
/// at a time so a large file costs no large buffer. A PDF that keeps its page objects in compressed object streams
/// shows none: it counts 0, and the caller treats its size as unknown.
/// </summary>
internal static class PdfPageCounter
{
    private const int Window = 48 * 1024; // a multiple of 3 bytes: decoded windows join exactly
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n\f\0"u8);

    public static int Count(ReadOnlySpan<byte> base64)
    {
        var decoded = ArrayPool<byte>.Shared.Rent(Window + Overlap);
        try
        {
            var pages = 0;
            var carried = 0;
            while (!base64.IsEmpty)
            {
                var take = Math.Min(base64.Length, Window / 3 * 4);
                var status = Base64.DecodeFromUtf8(base64[..take], decoded.AsSpan(carried), out var consumed, out var written, isFinalBlock: take == base64.Length);
                if (status is OperationStatus.InvalidData || consumed == 0)
                {
                    return 0;
                }
                base64 = base64[consumed..];
                var length = carried + written;
                var span = decoded.AsSpan(0, length);
                // Markers are counted where they start within the part not carried over again.
                pages += CountMarkers(span, countFrom: 0, countUntil: base64.IsEmpty ? length : length - Overlap);
                carried = Math.Min(Overlap, length);
                span[^carried..].CopyTo(decoded);
            }
            return pages;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded);
        }
    }

    /// <summary>Longest marker with the whitespace allowed inside it, so none is split between two windows.</summary>
    private const int Overlap = 64;

    private static int CountMarkers(ReadOnlySpan<byte> data, int countFrom, int countUntil)
    {
        var pages = 0;
        var at = countFrom;
        while (at < countUntil)
        {
            var found = data[at..].IndexOf("/Type"u8);
            if (found < 0 || at + found >= countUntil)
            {
                break;
            }
            var rest = data[(at + found + 5)..];
            var skipped = rest.IndexOfAnyExcept(Whitespace);
            if (skipped >= 0)
            {
                var value = rest[skipped..];
                if (value.StartsWith("/Page"u8) && (value.Length == 5 || !IsNameCharacter(value[5])))
                {
                    pages++;
                }
            }
            at += found + 5;
        }
        return pages;
    }

    /// <summary>A byte that continues a PDF name (so <c>/Pages</c> is not <c>/Page</c>).</summary>
    private static bool IsNameCharacter(byte b) =>
        b is not (>= 0 and <= 32) and not ((byte)'/' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'(' or (byte)')' or (byte)'{' or (byte)'}' or (byte)'%');
}
