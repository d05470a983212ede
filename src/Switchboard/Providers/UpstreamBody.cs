using System.Runtime.CompilerServices;
using Switchboard.Infrastructure;

namespace Switchboard.Providers;

/// <summary>An upstream response's body, read into a pooled buffer with a bound: no provider can make the gateway hold more.</summary>
internal static class UpstreamBody
{
    /// <summary>Reads a body up to <paramref name="maxBytes"/>; returns false when it is larger.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<bool> ReadAsync(HttpResponseMessage response, PooledBufferWriter output, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (true)
            {
                var read = await stream.ReadAsync(output.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return true;
                }
                output.Advance(read);
                if (output.WrittenCount > maxBytes)
                {
                    return false;
                }
            }
        }
    }
}
