using System.Buffers;
using System.IO.Pipelines;

namespace Switchboard.Requests;

/// <summary>
/// The request body in one pooled array. Read straight from Kestrel's pipe, never through
/// <c>EnableBuffering</c>, which spills bodies over 30 KB to a temporary file.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    /// <summary>
    /// The first buffer, whatever <c>Content-Length</c> announces: most chat bodies fit, and a client announcing
    /// 32 MiB then sending nothing holds no more than this.
    /// </summary>
    internal const int InitialCapacity = 16 * 1024;

    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>The pooled array's size: what reading the body took, for tests of how it grows.</summary>
    internal int Capacity => _buffer.Length;

    /// <summary>Reads the whole body; null when it is larger than <paramref name="maxBytes"/>.</summary>
    /// <remarks>
    /// The buffer grows with the bytes that arrive, never ahead of them: sizing it from <c>Content-Length</c> let 40
    /// connections that announced 32 MiB and sent nothing hold 1.3 GB. An announced length still caps the growth, so
    /// an honest large body ends in an array of about its size rather than the next doubling.
    /// </remarks>
    public static async ValueTask<RequestBody?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var announced = request.ContentLength;
        if (announced > maxBytes)
        {
            return null;
        }
        var reader = request.BodyReader;
        var cap = announced ?? maxBytes;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, Math.Min(cap, InitialCapacity)));
        var length = 0;
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var sequence = read.Buffer;
                if (length + sequence.Length > maxBytes)
                {
                    reader.AdvanceTo(sequence.End);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
                if (length + sequence.Length > buffer.Length)
                {
                    // Kestrel stops a body at its Content-Length, so more than was announced never arrives.
                    var needed = length + sequence.Length;
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Max(needed, Math.Min(cap, buffer.Length * 2L)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                sequence.CopyTo(buffer.AsSpan(length));
                length += (int)sequence.Length;
                reader.AdvanceTo(sequence.End);
                if (read.IsCompleted)
                {
                    return new RequestBody(buffer, length);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
