using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Bench.Scenarios;

namespace Switchboard.Bench.Targets;

/// <summary>Creates inference keys through the gateway's own API (<c>POST /api/v1/keys</c>) with the management key.</summary>
internal sealed class InferenceKeys(Uri gateway, string managementKey) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = gateway,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", managementKey) },
    };

    /// <returns>The key's secret, which the API shows only in this answer.</returns>
    public async Task<string> CreateAsync(string name, CancellationToken cancellationToken)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { name }), BenchHttp.Json);
        using var response = await _http.PostAsync("/api/v1/keys", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailureException($"Could not create inference key '{name}': {(int)response.StatusCode} {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>Keys named <c>{prefix}-0000</c> onwards, four requests at a time.</summary>
    public async Task<IReadOnlyList<string>> CreateManyAsync(string prefix, int count, CancellationToken cancellationToken)
    {
        var keys = new string[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, token) => keys[i] = await CreateAsync($"{prefix}-{i:0000}", token));
        return keys;
    }

    public void Dispose() => _http.Dispose();
}
