using System.Diagnostics;
using System.Net.Http.Headers;
using Switchboard.Bench.Scenarios;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// The request mix of one step: the same short non-streaming request as scenario (a), from a key picked at random
/// among the step's hot keys, for a model picked at random among the catalog's models.
/// </summary>
internal sealed class ScalingRequests(IReadOnlyList<string> secrets, IReadOnlyList<string> models)
{
    private readonly AuthenticationHeaderValue[] _keys = [.. secrets.Select(secret => new AuthenticationHeaderValue("Bearer", secret))];
    private readonly byte[][] _bodies = [.. models.Select(model => RequestBodies.Utf8(RequestBodies.NonStreamingFor(model)))];

    /// <summary>
    /// Sends requests one at a time for <paramref name="duration"/>, the first ones through every hot key in turn, so
    /// each key has been looked up once (and is in the gateway's cache) before anything is measured. Time rather than
    /// a count, because tiering up the request path takes time, more of it on a busy machine.
    /// </summary>
    public async Task WarmUpAsync(HttpClient client, Uri url, TimeSpan duration, Random random, string name, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await SendAsync(client, url, _keys.Length, random, name, everyKeyFirst: true, cancellationToken);
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            await SendAsync(client, url, 100, random, name, everyKeyFirst: false, cancellationToken);
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> requests one at a time and returns their latencies in microseconds, from sending
    /// the request to having read the whole body.
    /// </summary>
    public Task<List<double>> MeasureAsync(HttpClient client, Uri url, int count, Random random, string name, CancellationToken cancellationToken) =>
        SendAsync(client, url, count, random, name, everyKeyFirst: false, cancellationToken);

    private async Task<List<double>> SendAsync(
        HttpClient client, Uri url, int count, Random random, string name, bool everyKeyFirst, CancellationToken cancellationToken)
    {
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var key = everyKeyFirst && i < _keys.Length ? _keys[i] : _keys[random.Next(_keys.Length)];
            var content = new ByteArrayContent(_bodies[random.Next(_bodies.Length)]);
            content.Headers.ContentType = BenchHttp.Json;
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Authorization = key;

            var start = Stopwatch.GetTimestamp();
            byte[] body;
            int status;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new BenchFailureException($"{name}: request failed: {e.Message}");
            }

            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            if (status != 200 || body.Length == 0)
            {
                throw new BenchFailureException($"{name}: HTTP {status}: {System.Text.Encoding.UTF8.GetString(body)}");
            }
        }

        return samples;
    }
}
