namespace Switchboard.Billing;

/// <summary>Splits a base64 <c>data:</c> URL (<c>data:&lt;type&gt;[;param…];base64,&lt;payload&gt;</c>) without copying it.</summary>
internal static class DataUrl
{
    public static bool TryParse(ReadOnlySpan<byte> url, out ReadOnlySpan<byte> mediaType, out ReadOnlySpan<byte> payload)
    {
        mediaType = default;
        payload = default;
        if (!url.StartsWith("data:"u8))
        {
            return false;
        }
        var comma = url.IndexOf((byte)',');
        if (comma < 0)
        {
            return false;
        }
        var header = url[5..comma];
        if (!header.EndsWith(";base64"u8))
        {
            return false;
        }
        var semicolon = header.IndexOf((byte)';');
        mediaType = header[..semicolon];
        payload = url[(comma + 1)..];
        return true;
    }
}
