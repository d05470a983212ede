using System.Globalization;
using System.Text.Json;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// A catalog file of a given number of endpoints, all answered by the one simulator: models of
/// <see cref="EndpointsPerModel"/> endpoints each, spread over providers whose number grows with the catalog (as in a
/// real one, where more models also means more providers). Every endpoint has the same price, which is not zero, so
/// every request books a ledger charge as a paying customer's would.
/// </summary>
internal sealed record ScalingCatalog(string Path, IReadOnlyList<string> Models, IReadOnlyList<(string Slug, string Name)> Providers)
{
    public const int EndpointsPerModel = 5;

    /// <summary>USD per million tokens.</summary>
    public const decimal PromptPrice = 1.5m;

    /// <summary>USD per million tokens.</summary>
    public const decimal CompletionPrice = 3m;

    /// <summary>Caps the hold on each request's credit, which otherwise covers the whole context window.</summary>
    private const int MaxCompletionTokens = 1_024;

    /// <param name="toolsOnHalf">
    /// Every other model's endpoints also support <c>tools</c> and <c>tool_choice</c>, so a listing filtered by
    /// <c>supported_parameters=tools</c> has half the catalog to return (the catalog phase); the scaling curve leaves it off.
    /// </param>
    public static ScalingCatalog Write(string directory, long endpoints, Uri simulator, bool toolsOnHalf = false)
    {
        if (endpoints < EndpointsPerModel || endpoints % EndpointsPerModel != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(endpoints), endpoints, $"a multiple of {EndpointsPerModel} is needed");
        }

        var providers = Enumerable.Range(1, ProviderCount(endpoints))
            .Select(i => (Slug: ProviderSlug(i), Name: $"Simulator {i:00}"))
            .ToList();
        var models = Enumerable.Range(1, (int)(endpoints / EndpointsPerModel)).Select(i => $"scale/model-{i:0000}").ToList();

        var path = System.IO.Path.Combine(directory, "catalog.json");
        using (var stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("updated", "2026-01-01");
            json.WriteStartArray("providers");
            foreach (var (slug, name) in providers)
            {
                WriteProvider(json, slug, name, simulator);
            }

            json.WriteEndArray();
            json.WriteStartArray("models");
            for (var m = 0; m < models.Count; m++)
            {
                // Consecutive providers, shifted per model, so every provider serves its share of the models.
                var served = Enumerable.Range(0, EndpointsPerModel).Select(j => providers[(m + j) % providers.Count].Slug);
                WriteModel(json, models[m], served, tools: toolsOnHalf && m % 2 == 0);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new ScalingCatalog(path, models, providers);
    }

    private static void WriteProvider(Utf8JsonWriter json, string slug, string name, Uri simulator)
    {
        json.WriteStartObject();
        json.WriteString("slug", slug);
        json.WriteString("name", name);
        json.WriteString("base_url", new Uri(simulator, $"{slug}/v1").ToString());
        json.WriteString("protocol", "openai");
        json.WriteNull("api_key_env");
        json.WriteBoolean("api_key_optional", true);
        json.WriteBoolean("enabled", true);
        json.WriteBoolean("collects_data", false);
        json.WriteStartArray("datacenters");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter json, string id, IEnumerable<string> providers, bool tools)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("canonical_slug", id);
        json.WriteString("name", $"Scaling: {id}");
        json.WriteString("created", "2026-01-01");
        json.WriteString("description", "Benchmark model answered by the simulator.");
        json.WriteNumber("context_length", 32_768);
        json.WriteStartArray("input_modalities");
        json.WriteStringValue("text");
        json.WriteEndArray();
        json.WriteStartArray("output_modalities");
        json.WriteStringValue("text");
        json.WriteEndArray();
        json.WriteString("tokenizer", "Other");
        json.WriteStartArray("endpoints");
        foreach (var provider in providers)
        {
            json.WriteStartObject();
            json.WriteString("provider", provider);
            json.WriteString("upstream_model", id[(id.IndexOf('/', StringComparison.Ordinal) + 1)..]);
            json.WriteNumber("context_length", 32_768);
            json.WriteNumber("max_completion_tokens", MaxCompletionTokens);
            json.WriteStartObject("pricing");
            json.WriteNumber("prompt", PromptPrice);
            json.WriteNumber("completion", CompletionPrice);
            json.WriteEndObject();
            json.WriteStartArray("supported_parameters");
            json.WriteStringValue("temperature");
            json.WriteStringValue("max_tokens");
            if (tools)
            {
                json.WriteStringValue("tools");
                json.WriteStringValue("tool_choice");
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"{Models.Count:#,0} models x {EndpointsPerModel} endpoints over {Providers.Count} providers");

    public static string ProviderSlug(int number) => $"sim-{number:00}";

    /// <summary>One provider per hundred endpoints, at least one per endpoint of a model, at most fifty.</summary>
    private static int ProviderCount(long endpoints) => (int)Math.Clamp(endpoints / 100, EndpointsPerModel, 50);
}
