using System.Globalization;

namespace Switchboard.Bench.Targets;

/// <summary>
/// The gateway's catalog for the bench: one keyless provider <c>sim</c> and the models it serves, so every request
/// takes one route with no fallback. <see cref="Model"/> answers scenarios (a) to (d); the realistic mix spreads its
/// requests over <see cref="MixModels"/> more, as a real catalog would. Every model has a (tiny) price, so the
/// gateway reserves and settles real credits. The provider's base URL is set through configuration.
/// </summary>
internal static class BenchCatalog
{
    public const string Provider = "sim";
    public const string Model = "bench/echo";
    public const int MixModels = 200;

    public static string MixModel(int index) => string.Create(CultureInfo.InvariantCulture, $"bench/mix-{index:000}");

    public static string Write(string directory)
    {
        var models = Enumerable.Range(0, MixModels).Select(MixModel).Prepend(Model).Select(ModelEntry);
        var path = Path.Combine(directory, "catalog.json");
        File.WriteAllText(path, $$"""
            {
              "updated": "2026-01-01",
              "providers": [
                {"slug":"{{Provider}}","name":"Simulator","base_url":"http://127.0.0.1:1/{{Provider}}/v1","protocol":"openai",
                 "api_key_env":null,"api_key_optional":true,"enabled":true,"collects_data":false,"headquarters":null,
                 "datacenters":[],"privacy_policy_url":null,"terms_of_service_url":null,"status_page_url":null}
              ],
              "models": [
                {{string.Join(",\n    ", models)}}
              ]
            }
            """);
        return path;
    }

    /// <summary>Prices are USD per million tokens: a 10-token answer costs a few millionths of a dollar.</summary>
    private static string ModelEntry(string id) => $$"""
        {"id":"{{id}}","canonical_slug":"{{id}}","hugging_face_id":null,"name":"Bench: {{id}}","created":"2026-01-01",
         "description":"Benchmark model answered by the simulator.","context_length":32768,"input_modalities":["text"],
         "output_modalities":["text"],"tokenizer":"Other","instruct_type":null,"knowledge_cutoff":null,
         "endpoints":[{"provider":"{{Provider}}","upstream_model":"{{id[(id.IndexOf('/') + 1)..]}}","context_length":32768,"max_completion_tokens":null,
           "quantization":null,"pricing":{"prompt":0.1,"completion":0.2},"supported_parameters":["temperature","max_tokens"]}]}
        """;
}
