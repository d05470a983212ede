using System.Buffers;

namespace Switchboard.Providers;

/// <summary>An upstream HTTP request whose body lives in a pooled buffer, returned when the attempt ends.</summary>
internal sealed class UpstreamRequest(HttpRequestMessage message, byte[]? pooledBody) : IDisposable
{
    private byte[]? _pooledBody = pooledBody;

    public HttpRequestMessage Message { get; } = message;

    public void Dispose()
    {
        Message.Dispose();
        if (Interlocked.Exchange(ref _pooledBody, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
