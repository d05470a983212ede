using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Switchboard.Bench.Targets;

/// <summary>The gateway's allocation and GC counters at one moment, from <c>GET /api/v1/admin/runtime</c>.</summary>
/// <param name="JitCompiledMethods">Methods the JIT has compiled so far (tier-up recompilations included); -1 from a gateway that does not say.</param>
internal readonly record struct RuntimeReading(
    long AllocatedBytes, long Gen0Collections, long Gen1Collections, long Gen2Collections, long WorkingSetBytes, long JitCompiledMethods);

/// <summary>
/// Reads <c>GET /api/v1/admin/runtime</c> with the management key. <c>allocated_bytes</c> only grows, so readings
/// before and after a run of requests give the bytes the gateway allocated per request. A gateway without the
/// endpoint answers 404: the figure is then reported as not available, never estimated.
/// </summary>
internal sealed class GatewayRuntime(Uri gateway, string managementKey) : IDisposable
{
    public const string Path = "/api/v1/admin/runtime";

    private readonly HttpClient _http = new()
    {
        BaseAddress = gateway,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", managementKey) },
    };

    /// <returns>null when the gateway has no such endpoint.</returns>
    public async Task<RuntimeReading?> ReadAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(Path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailureException($"GET {Path} answered {(int)response.StatusCode}: {body}");
        }

        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            return new RuntimeReading(
                json.GetProperty("allocated_bytes").GetInt64(),
                json.GetProperty("gen0_collections").GetInt64(),
                json.GetProperty("gen1_collections").GetInt64(),
                json.GetProperty("gen2_collections").GetInt64(),
                json.GetProperty("working_set_bytes").GetInt64(),
                json.TryGetProperty("jit_compiled_methods", out var jitted) ? jitted.GetInt64() : -1);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BenchFailureException($"GET {Path}: unexpected answer ({e.Message}): {body}");
        }
    }

    public void Dispose() => _http.Dispose();
}
