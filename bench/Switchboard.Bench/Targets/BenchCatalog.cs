namespace Switchboard.Bench.Targets;

/// <summary>
/// The gateway's catalog for the bench: one keyless provider <c>sim</c> and one model served by it, so every
/// request takes the same route with no fallback. The provider's base URL is set through configuration.
/// </summary>
internal static class BenchCatalog
{
    public const string Provider = "sim";
    public const string Model = "bench/echo";

    public static string Write(string directory)
    {
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
                {"id":"{{Model}}","canonical_slug":"{{Model}}","hugging_face_id":null,"name":"Bench: echo","created":"2026-01-01",
                 "description":"Benchmark model answered by the simulator.","context_length":32768,"input_modalities":["text"],
                 "output_modalities":["text"],"tokenizer":"Other","instruct_type":null,"knowledge_cutoff":null,
                 "endpoints":[{"provider":"{{Provider}}","upstream_model":"echo","context_length":32768,"max_completion_tokens":null,
                   "quantization":null,"pricing":{"prompt":0,"completion":0},"supported_parameters":["temperature","max_tokens"]}]}
              ]
            }
            """);
        return path;
    }
}
