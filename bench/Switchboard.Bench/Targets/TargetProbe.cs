using System.Globalization;
using System.Text.Json;
using Switchboard.Bench.Scenarios;

namespace Switchboard.Bench.Targets;

/// <summary>
/// Before anything is measured, each target must answer a request with words only the simulator could have
/// produced: a proxy that answers on its own (an error page, a cached reply, a misrouted upstream) fails the run.
/// </summary>
internal static class TargetProbe
{
    public static async Task EnsureReachesSimulatorAsync(Target target, CancellationToken cancellationToken)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"probe {target.Name} {Random.Shared.Next()}");
        using var client = BenchHttp.CreateClient(1);
        using var request = BenchHttp.Post(target, RequestBodies.Utf8(RequestBodies.Echo(text)));
        string body;
        int status;
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new BenchFailureException($"{target.Name}: probe request failed: {e.Message}");
        }

        if (status != 200 || Content(body) != text)
        {
            throw new BenchFailureException($"{target.Name}: the probe did not come back from the simulator (expected \"{text}\"): HTTP {status} {body}");
        }
    }

    private static string? Content(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
