using System.Net;

namespace Switchboard.Bench.Hosting;

/// <summary>
/// A stand-in OTLP/HTTP collector for the traced gateway: takes every export (<c>/v1/traces</c>, <c>/v1/metrics</c>)
/// and answers 200 with an empty protobuf response, as a collector that accepted everything does. It only counts what
/// arrived, so the run can show that traces really left the gateway while it was measured.
/// </summary>
internal sealed class OtlpSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _accepting;
    private long _exports;
    private long _bytes;

    private OtlpSink(int port)
    {
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public Uri Endpoint { get; }

    public long Exports => Interlocked.Read(ref _exports);

    public long Bytes => Interlocked.Read(ref _bytes);

    public static OtlpSink Start() => new(FreePort.Next());

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept: that is how the loop ends.
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var buffer = new byte[64 * 1024];
            long received = 0;
            int read;
            while ((read = await context.Request.InputStream.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
            Interlocked.Add(ref _bytes, received);
            Interlocked.Increment(ref _exports);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // An exporter that gave up on a slow answer: nothing to count.
        }
    }
}
