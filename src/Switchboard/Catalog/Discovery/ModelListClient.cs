using System.Net.Http.Headers;
using Switchboard.Infrastructure;
using Switchboard.Providers;

namespace Switchboard.Catalog.Discovery;

/// <summary>
/// <c>GET {base_url}/models</c> through the provider's own client and credential, bounded in time (the whole exchange)
/// and in size (<see cref="MaxBodyBytes"/>): a hung or hostile server costs one timeout and a few megabytes at most.
/// </summary>
internal static class ModelListClient
{
    /// <summary>Largest answer read: a thousand entries with llama.cpp's metadata fit many times over.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    public static async Task<ModelListResult> FetchAsync(ProviderRuntime provider, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, ModelsUrl(provider.BaseUrl))
        {
            Version = provider.HttpVersion,
            VersionPolicy = provider.HttpVersionPolicy,
        };
        request.Headers.Accept.Add(Json);
        if (provider.Credential is { } credential)
        {
            request.Headers.TryAddWithoutValidation("Authorization", credential.BearerAuthorization);
        }
        try
        {
            using var response = await provider.Http.SendAsync(request, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return ModelListResult.Failed($"HTTP {(int)response.StatusCode}");
            }
            if (response.Content.Headers.ContentLength > MaxBodyBytes)
            {
                return ModelListResult.Failed($"the answer is larger than {MaxBodyBytes} bytes");
            }
            using var body = new PooledBufferWriter(16 * 1024);
            if (!await UpstreamBody.ReadAsync(response, body, MaxBodyBytes, linked.Token).ConfigureAwait(false))
            {
                return ModelListResult.Failed($"the answer is larger than {MaxBodyBytes} bytes");
            }
            var models = ModelListParser.Parse(body.WrittenMemory, out var problem, out var skipped);
            return models is null ? ModelListResult.Failed(problem!) : new ModelListResult(models, null, skipped);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ModelListResult.Failed($"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return ModelListResult.Failed(ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : ex.HttpRequestError.ToString());
        }
        catch (IOException ex)
        {
            return ModelListResult.Failed(ex.Message);
        }
    }

    // Base URLs are written with or without a trailing slash; both must give …/v1/models.
    private static Uri ModelsUrl(Uri baseUrl) => new(baseUrl.AbsoluteUri.TrimEnd('/') + "/models");
}

/// <summary>A provider's list (<see cref="Models"/>), or why there is none (<see cref="Problem"/>).</summary>
internal sealed record ModelListResult(IReadOnlyList<DiscoveredModel>? Models, string? Problem, int Skipped)
{
    public static ModelListResult Failed(string problem) => new(null, problem, 0);
}
