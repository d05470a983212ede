using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scenarios;

/// <summary>Timings of one SSE stream, in microseconds from sending the request.</summary>
internal readonly record struct StreamSample(double TimeToFirstTokenUs, double TotalUs, int Events);

/// <summary>
/// Reads one chat completion stream the way a client would: response headers first, then the body as it
/// arrives. Time to first token is when the first <c>data:</c> event with non-empty <c>content</c> has been
/// read (the role-only first chunk does not count); total time is when <c>data: [DONE]</c> has been read.
/// </summary>
internal static class StreamingClient
{
    /// <summary>Enough for any event the simulator sends; thousands of concurrent slow streams use less.</summary>
    public const int DefaultBufferSize = 64 * 1024;

    /// <param name="eventDelays">
    /// When given, receives the trip of every content event stamped by the simulator (<c>stamp_content</c>), in µs:
    /// its arrival here minus its send time there, both read from the machine's monotonic clock.
    /// </param>
    /// <param name="apiKey">The key to send instead of <see cref="BenchHttp.ApiKey"/>.</param>
    public static async Task<StreamSample> MeasureAsync(
        HttpClient client,
        Target target,
        byte[] body,
        int expectedEvents,
        CancellationToken cancellationToken,
        List<double>? eventDelays = null,
        string? apiKey = null,
        int bufferSize = DefaultBufferSize)
    {
        using var request = BenchHttp.Post(target, body, apiKey);
        var scan = new SseScan(eventDelays);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode != 200 || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new BenchFailureException($"{target.Name}: stream answered HTTP {(int)response.StatusCode} {response.Content.Headers.ContentType}: {text}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var filled = 0;
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled = scan.Consume(buffer, filled + read, Stopwatch.GetTimestamp());
                if (filled == buffer.Length)
                {
                    throw new BenchFailureException($"{target.Name}: an SSE line longer than {buffer.Length} bytes");
                }
            }
        }
        catch (HttpRequestException e)
        {
            throw new BenchFailureException($"{target.Name}: stream failed: {e.Message}");
        }
        catch (IOException e)
        {
            throw new BenchFailureException($"{target.Name}: stream broke after {scan.Events} events: {e.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (scan.DoneAt == 0 || scan.FirstContentAt == 0 || scan.Events < expectedEvents)
        {
            throw new BenchFailureException(
                $"{target.Name}: incomplete stream: {scan.Events} events (expected at least {expectedEvents}), " +
                $"first content {(scan.FirstContentAt == 0 ? "never" : "seen")}, [DONE] {(scan.DoneAt == 0 ? "missing" : "seen")}");
        }

        return new StreamSample(
            Stopwatch.GetElapsedTime(start, scan.FirstContentAt).TotalMicroseconds,
            Stopwatch.GetElapsedTime(start, scan.DoneAt).TotalMicroseconds,
            scan.Events);
    }

    /// <summary>Splits the received bytes into lines and notes when the interesting ones arrived.</summary>
    private sealed class SseScan(List<double>? eventDelays)
    {
        private static readonly double MicrosecondsPerTick = 1e6 / Stopwatch.Frequency;

        public int Events { get; private set; }

        public long FirstContentAt { get; private set; }

        public long DoneAt { get; private set; }

        /// <summary>Processes the complete lines in <c>buffer[..filled]</c>, moves the partial rest to the front, returns its length.</summary>
        public int Consume(byte[] buffer, int filled, long now)
        {
            var data = buffer.AsSpan(0, filled);
            var consumed = 0;
            int newline;
            while ((newline = data[consumed..].IndexOf((byte)'\n')) >= 0)
            {
                Line(data.Slice(consumed, newline).TrimEnd((byte)'\r'), now);
                consumed += newline + 1;
            }

            data[consumed..].CopyTo(buffer);
            return filled - consumed;
        }

        private void Line(ReadOnlySpan<byte> line, long now)
        {
            if (!line.StartsWith("data:"u8))
            {
                return;
            }

            var payload = line[5..].TrimStart((byte)' ');
            if (payload.SequenceEqual("[DONE]"u8))
            {
                DoneAt = now;
                return;
            }

            Events++;
            if (FirstContentAt == 0 || eventDelays is not null)
            {
                var content = payload.IndexOf("\"content\":\""u8);
                if (content >= 0 && content + 11 < payload.Length && payload[content + 11] != (byte)'"')
                {
                    if (FirstContentAt == 0)
                    {
                        FirstContentAt = now;
                    }

                    if (eventDelays is not null && Utf8Parser.TryParse(payload[(content + 11)..], out long sentAt, out _))
                    {
                        eventDelays.Add((now - sentAt) * MicrosecondsPerTick);
                    }
                }
            }
        }
    }
}
