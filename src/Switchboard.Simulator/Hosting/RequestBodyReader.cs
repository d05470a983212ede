using System.Buffers;

namespace Switchboard.Simulator.Hosting;

internal static class RequestBodyReader
{
    /// <summary>Reads the whole body; scripts and validation need all of it before responding.</summary>
    public static async ValueTask<byte[]> ReadAllAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (result.IsCompleted || result.IsCanceled)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            // Consume nothing so the pipe keeps accumulating until the body is complete.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
