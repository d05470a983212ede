using System.Net.Sockets;
using System.Text;

namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>One request written by hand: what HttpClient refuses to send (broken request lines, chunk sizes, headers).</summary>
/// <param name="Name">What is wrong with it, for the report.</param>
/// <param name="Request">The bytes, with <c>{host}</c>, <c>{auth}</c> (a management key) and <c>{inference}</c> still to fill in.</param>
/// <param name="HalfClose">
/// Whether the client then stops sending, as a client whose body was cut short does. The server may then close the
/// connection without an answer: the client has said it is gone.
/// </param>
/// <param name="KestrelStatus">
/// A 5xx that is right by HTTP (505 for an unknown version): allowed for this request only, still in our shape.
/// </param>
internal sealed record RawRequest(string Name, string Request, bool HalfClose = false, int? KestrelStatus = null)
{
    public byte[] Bytes(Uri gateway, string managementKey, string inferenceKey) =>
        Encoding.Latin1.GetBytes(Request.Replace("{host}", gateway.Authority, StringComparison.Ordinal)
            .Replace("{auth}", managementKey, StringComparison.Ordinal).Replace("{inference}", inferenceKey, StringComparison.Ordinal));
}

/// <summary>The answer to a <see cref="RawRequest"/>, read until the server closes the connection.</summary>
internal sealed record RawAnswer(int? Status, string? ContentType, byte[] Body, bool TimedOut)
{
    public static async Task<RawAnswer> SendAsync(Uri gateway, byte[] request, bool halfClose, TimeSpan timeout)
    {
        using var tcp = new TcpClient();
        using var deadline = new CancellationTokenSource(timeout);
        await tcp.ConnectAsync(gateway.Host, gateway.Port, deadline.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(request, deadline.Token);
            if (halfClose)
            {
                tcp.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The server may answer and close before it has read everything (oversized headers): read what it said.
        }
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, deadline.Token);
                if (read == 0)
                {
                    break;
                }
                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            return Parse(received.ToArray(), timedOut: true);
        }
        catch (IOException)
        {
            // A reset after the answer: what arrived is the answer.
        }
        return Parse(received.ToArray(), timedOut: false);
    }

    private static RawAnswer Parse(byte[] response, bool timedOut)
    {
        var headerEnd = response.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return new RawAnswer(null, null, response, timedOut);
        }
        var head = Encoding.Latin1.GetString(response, 0, headerEnd).Split("\r\n");
        var parts = head[0].Split(' ');
        int? status = parts.Length > 1 && int.TryParse(parts[1], out var code) ? code : null;
        string? contentType = null;
        var chunked = false;
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            chunked |= name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        }
        var body = response.AsSpan(headerEnd + 4).ToArray();
        return new RawAnswer(status, contentType, chunked ? Dechunk(body) : body, timedOut);
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var output = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.AsSpan(position).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }
            var sizeText = Encoding.ASCII.GetString(body, position, lineEnd).Split(';')[0];
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
            {
                break;
            }
            position += lineEnd + 2;
            output.Write(body, position, Math.Min(size, body.Length - position));
            position += size + 2;
        }
        return output.ToArray();
    }
}
