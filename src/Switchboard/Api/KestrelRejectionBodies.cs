using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Switchboard.Infrastructure;

namespace Switchboard.Api;

/// <summary>
/// Gives Kestrel's own rejections a body in our error shape. Kestrel answers a request it cannot parse (a bad request
/// line or header, no Host, a request line over its limit: 414, headers over theirs: 431, headers too slow: 408)
/// itself, before any middleware runs, with the status, <c>Content-Length: 0</c> and <c>Connection: close</c>, and
/// offers no hook to change that. So this connection middleware watches what Kestrel writes while no request of the
/// connection is in the application (<see cref="ApiErrorMiddleware"/> marks that), when the only thing Kestrel can
/// write is such a rejection or the tail of a response the application already finished. Those few bytes are staged;
/// a bare error head is given the error body; anything else goes out as it was. While a request is in the
/// application, bytes go straight through, uncopied. HTTP/1.x only: a connection whose first bytes out are not an
/// HTTP/1.x status line (TLS, HTTP/2) is passed through for good.
/// </summary>
internal static class KestrelRejectionBodies
{
    public static void Add(KestrelServerOptions kestrel) =>
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
        {
            var requests = new ConnectionRequests();
            connection.Features.Set(requests);
            var transport = connection.Transport;
            connection.Transport = new Duplex(transport.Input, new RejectionWriter(transport.Output, requests));
            return next(connection);
        }));

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>Kestrel's answer, with the error body; null when <paramref name="written"/> is anything else.</summary>
    internal static byte[]? WithBody(ReadOnlySpan<byte> written)
    {
        // "HTTP/1.1 431 Request Header Fields Too Large\r\n...Content-Length: 0\r\n...\r\n\r\n" and nothing after it.
        if (written.Length < 16 || !written.StartsWith("HTTP/1.1 "u8) || written.IndexOf("\r\n\r\n"u8) != written.Length - 4
            || !int.TryParse(written.Slice(9, 3), out var status) || status is < 400 or > 599)
        {
            return null;
        }
        var head = Encoding.Latin1.GetString(written[..^2]); // keeps the last header's CRLF
        const string NoBody = "\r\nContent-Length: 0\r\n";
        var noBody = head.IndexOf(NoBody, StringComparison.OrdinalIgnoreCase);
        if (noBody < 0 || head.Contains("Content-Type:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorEnvelope(new ErrorBody(status, Message(status), new ErrorMetadata { ErrorType = "invalid_request" })),
            SwitchboardJsonContext.Api.ErrorEnvelope);
        var rewritten = string.Concat(
            head.AsSpan(0, noBody),
            $"\r\nContent-Length: {body.Length}\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n",
            head.AsSpan(noBody + NoBody.Length),
            "\r\n");
        return [.. Encoding.Latin1.GetBytes(rewritten), .. body];
    }

    private static string Message(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Malformed HTTP request: the request line or a header could not be parsed, or Host is missing.",
        StatusCodes.Status408RequestTimeout => "The request headers did not arrive in time.",
        StatusCodes.Status414UriTooLong => "The request line (method, URL and version) is longer than the server accepts.",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are larger than the server accepts.",
        _ => $"HTTP {status}: the server refused the request before reading it.",
    };

    /// <summary>How many of the connection's requests are in the application now (HTTP/1.x: zero or one).</summary>
    internal sealed class ConnectionRequests
    {
        private int _inApplication;

        public bool Idle => Volatile.Read(ref _inApplication) == 0;

        public void Enter() => Interlocked.Increment(ref _inApplication);

        public void Exit() => Interlocked.Decrement(ref _inApplication);
    }

    private sealed class RejectionWriter(PipeWriter inner, ConnectionRequests requests) : PipeWriter
    {
        private ArrayBufferWriter<byte>? _staged;
        private bool _lastFromInner;
        private bool _firstSeen;
        private bool _passThrough;

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (Staging())
            {
                return (_staged ??= new ArrayBufferWriter<byte>(256)).GetMemory(sizeHint);
            }
            return inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            if (Staging())
            {
                return (_staged ??= new ArrayBufferWriter<byte>(256)).GetSpan(sizeHint);
            }
            return inner.GetSpan(sizeHint);
        }

        public override void Advance(int bytes)
        {
            if (_lastFromInner)
            {
                inner.Advance(bytes);
            }
            else
            {
                _staged!.Advance(bytes);
            }
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release();
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        // Kestrel's output and System.Text.Json ask how much is unflushed to decide when to flush.
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + (_staged?.WrittenCount ?? 0);

        public override void Complete(Exception? exception = null)
        {
            Release();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Release();
            return inner.CompleteAsync(exception);
        }

        /// <summary>Whether the next bytes are staged; staged bytes go first when the application starts writing.</summary>
        private bool Staging()
        {
            if (!_passThrough && requests.Idle)
            {
                _lastFromInner = false;
                return true;
            }
            Release();
            _firstSeen = true;
            _lastFromInner = true;
            return false;
        }

        /// <summary>Sends what was staged on, given the error body if it is Kestrel's bare rejection.</summary>
        private void Release()
        {
            if (_staged is not { WrittenCount: > 0 } staged)
            {
                return;
            }
            var written = staged.WrittenSpan;
            if (!_firstSeen)
            {
                // A TLS handshake or HTTP/2's settings come before any request: nothing here to read, ever.
                _firstSeen = true;
                _passThrough = !written.StartsWith("HTTP/1."u8);
            }
            if (!_passThrough && WithBody(written) is { } answered)
            {
                inner.Write(answered);
            }
            else
            {
                inner.Write(written);
            }
            staged.ResetWrittenCount();
        }
    }
}
