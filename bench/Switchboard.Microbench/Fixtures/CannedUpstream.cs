using System.Net;

namespace Switchboard.Microbench.Fixtures;

/// <summary>
/// An upstream in memory: every request is answered at once with a recorded body, a completion or a stream that
/// arrives one event per read. It stands in for the socket handler, whose own costs these benchmarks leave out.
/// </summary>
internal sealed class CannedUpstream : HttpMessageHandler
{
    private readonly byte[]? _completion;
    private readonly ReplayStream? _stream;

    private CannedUpstream(byte[]? completion, ReplayStream? stream) => (_completion, _stream) = (completion, stream);

    public static CannedUpstream Completion(byte[] body) => new(body, null);

    public static CannedUpstream Stream(byte[][] events) => new(null, new ReplayStream(events));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpContent content;
        if (_stream is { } stream)
        {
            stream.Rewind();
            // Disposing the response closes the replay, which stays readable: the next request rewinds it.
            content = new StreamContent(stream);
        }
        else
        {
            content = new ByteArrayContent(_completion!);
        }
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream?.Dispose();
        }
        base.Dispose(disposing);
    }
}
