namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A small catalog with fixed prices and capabilities, so routing tests do not move when the shipped catalog's
/// prices are updated. Provider <c>dead</c> points at a closed port; <c>nokey</c> never gets a credential.
/// </summary>
public static class TestCatalog
{
    public static readonly string[] SimulatedProviders = ["alpha", "beta", "gamma", "local", "hoarder", "claude", "gem"];

    private static readonly Lazy<string> Written = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"switchboard-test-catalog-{Environment.ProcessId}.json");
        File.WriteAllText(path, Json);
        return path;
    });

    /// <summary>The catalog written to a temporary file, for <c>Switchboard:CatalogPath</c>.</summary>
    public static string FilePath => Written.Value;

    // Without structured_outputs, so JSON output on Claude goes through the forced-tool path.
    private const string ClaudeParameters = """["temperature","top_p","top_k","max_tokens","stop","tools","tool_choice","response_format","reasoning"]""";

    private const string AllParameters = """["temperature","top_p","max_tokens","stop","seed","tools","tool_choice","response_format","structured_outputs","logprobs","top_logprobs","reasoning"]""";

    private static string Endpoint(string provider, decimal prompt, decimal completion, string? quantization = null, string parameters = AllParameters, int? maxCompletion = null, int context = 32768) => $$"""
        {"provider":"{{provider}}","upstream_model":"{{provider}}-model","context_length":{{context}},
         "max_completion_tokens":{{(maxCompletion?.ToString() ?? "null")}},"quantization":{{(quantization is null ? "null" : $"\"{quantization}\"")}},
         "pricing":{"prompt":{{prompt}},"completion":{{completion}}},"supported_parameters":{{parameters}}}
        """;

    /// <summary>An endpoint with a catalog <c>pricing</c> object written out (tiers, reasoning and image prices).</summary>
    private static string PricedEndpoint(string provider, string pricing, string parameters = AllParameters, int? maxCompletion = null) => $$"""
        {"provider":"{{provider}}","upstream_model":"{{provider}}-model","context_length":32768,
         "max_completion_tokens":{{(maxCompletion?.ToString() ?? "null")}},"quantization":null,
         "pricing":{{pricing}},"supported_parameters":{{parameters}}}
        """;

    /// <summary>
    /// <c>test/tiered</c>'s prices: 1/2 USD per million (cache read 0.5), 2/4 (cache read 1) above 1,000 prompt tokens,
    /// 3/6 (cache read 1.5) above 5,000.
    /// </summary>
    public const string TieredPricing = """
        {"prompt":1,"completion":2,"input_cache_read":0.5,"tiers":[
          {"above_prompt_tokens":1000,"prompt":2,"completion":4,"input_cache_read":1},
          {"above_prompt_tokens":5000,"prompt":3,"completion":6,"input_cache_read":1.5}]}
        """;

    /// <summary><c>test/long-context</c> on alpha: the cheapest (1/2) below 1,000 prompt tokens, the dearest (10/20) above; beta is 3/6 throughout.</summary>
    public const string LongContextPricing = """{"prompt":1,"completion":2,"tiers":[{"above_prompt_tokens":1000,"prompt":10,"completion":20}]}""";

    /// <summary><c>test/painter</c>'s prices: 1/2 USD per million, reasoning 5, output images 30, 0.01 per input image.</summary>
    public const string PainterPricing = """{"prompt":1,"completion":2,"internal_reasoning":5,"image_output":30,"image":0.01}""";

    private static string Model(string id, params string[] endpoints) => $$"""
        {"id":"{{id}}","name":"Test: {{id}}","created":"2026-01-01","description":"Test model.","context_length":32768,
         "input_modalities":["text","image"],"output_modalities":["text"],"tokenizer":"Other","endpoints":[{{string.Join(",", endpoints)}}]}
        """;

    /// <summary>A chat model with its own input modalities and context length, for <c>openrouter/auto</c>'s choices.</summary>
    private static string AutoModel(string id, string inputs, int context, params string[] endpoints) => $$"""
        {"id":"{{id}}","name":"Test: {{id}}","created":"2026-01-01","description":"Test model.","context_length":{{context}},
         "input_modalities":{{inputs}},"output_modalities":["text"],"tokenizer":"Other","endpoints":[{{string.Join(",", endpoints)}}]}
        """;

    /// <summary>
    /// <c>openrouter/auto</c>'s candidates in <see cref="AutoFilePath"/>'s catalog, best first. Blended prices
    /// (prompt + completion per million) 40, 10, 4, 3, 1 and 0.2; what sets each apart is in its name.
    /// </summary>
    public static readonly string[] AutoCandidates = ["auto/top", "auto/text-only", "auto/no-tools", "auto/no-schema", "auto/small", "auto/unconfigured"];

    private static readonly Lazy<string> AutoWritten = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"switchboard-test-auto-catalog-{Environment.ProcessId}.json");
        File.WriteAllText(path, Json!.Replace("\"models\": [", "\"models\": [" + AutoModels + ",", StringComparison.Ordinal));
        return path;
    });

    /// <summary>The test catalog plus <see cref="AutoCandidates"/>, for <c>Switchboard:CatalogPath</c>.</summary>
    public static string AutoFilePath => AutoWritten.Value;

    private const string TextAndImage = """["text","image"]""";

    private static readonly string AutoModels = string.Join(",",
        AutoModel("auto/top", """["text","image","file"]""", 32768, Endpoint("alpha", 10, 30)),
        AutoModel("auto/text-only", """["text"]""", 32768, Endpoint("beta", 4, 6)),
        AutoModel("auto/no-tools", TextAndImage, 32768, Endpoint("gamma", 2, 2, parameters: """["temperature","max_tokens","response_format","structured_outputs","reasoning"]""")),
        AutoModel("auto/no-schema", TextAndImage, 32768, Endpoint("beta", 1, 2, parameters: """["temperature","max_tokens","tools","tool_choice","response_format"]""")),
        AutoModel("auto/small", TextAndImage, 4096, Endpoint("alpha", 0.5m, 0.5m, context: 4096)),
        AutoModel("auto/unconfigured", TextAndImage, 32768, Endpoint("nokey", 0.1m, 0.1m)));

    private const string EmbeddingParameters = """["dimensions","encoding_format","input_type"]""";

    /// <summary>An embedding model (output modality <c>embeddings</c>); its endpoints bill input only.</summary>
    private static string EmbeddingModel(string id, params string[] endpoints) => $$"""
        {"id":"{{id}}","name":"Test: {{id}}","created":"2026-01-01","description":"Test embedding model.","context_length":8192,
         "input_modalities":["text"],"output_modalities":["embeddings"],"tokenizer":"Other","endpoints":[{{string.Join(",", endpoints)}}]}
        """;

    private static string Provider(string slug, string name, string keyEnv = "null", bool optional = false, bool collects = false, string protocol = "openai") => $$"""
        {"slug":"{{slug}}","name":"{{name}}","base_url":"http://127.0.0.1:1/{{slug}}/v1","protocol":"{{protocol}}","api_key_env":{{keyEnv}},
         "api_key_optional":{{(optional ? "true" : "false")}},"enabled":true,"collects_data":{{(collects ? "true" : "false")}},
         "headquarters":"US","datacenters":["US"],"privacy_policy_url":"https://example.com/{{slug}}/privacy","terms_of_service_url":null,"status_page_url":null}
        """;

    private static readonly string Json = $$"""
        {
          "updated": "2026-01-01",
          "providers": [
            {{Provider("alpha", "Alpha", "\"ALPHA_API_KEY\"")}},
            {{Provider("beta", "Beta", "\"BETA_API_KEY\"")}},
            {{Provider("gamma", "Gamma", "\"GAMMA_API_KEY\"")}},
            {{Provider("dead", "Dead", "\"DEAD_API_KEY\"")}},
            {{Provider("nokey", "NoKey", "\"SWITCHBOARD_TEST_NOKEY_API_KEY\"")}},
            {{Provider("local", "Local", optional: true)}},
            {{Provider("hoarder", "Hoarder", "\"HOARDER_API_KEY\"", collects: true)}},
            {{Provider("claude", "Claude", "\"CLAUDE_TEST_API_KEY\"", protocol: "anthropic")}},
            {{Provider("gem", "Gemini", "\"GEM_TEST_API_KEY\"", protocol: "gemini")}}
          ],
          "models": [
            {{Model("test/multi", Endpoint("alpha", 1, 2, "fp8"), Endpoint("beta", 2, 4, "bf16"), Endpoint("gamma", 3, 6, "fp16", """["temperature","max_tokens","stop"]"""))}},
            {{Model("test/other", Endpoint("beta", 5, 5, parameters: """["temperature","max_tokens"]"""), Endpoint("gamma", 6, 6, parameters: """["temperature"]"""))}},
            {{Model("test/dead-first", Endpoint("dead", 0.5m, 0.5m), Endpoint("alpha", 1, 2))}},
            {{Model("test/unconfigured", Endpoint("nokey", 1, 1))}},
            {{Model("test/mixed-keys", Endpoint("nokey", 0.1m, 0.1m), Endpoint("alpha", 1, 2))}},
            {{Model("test/free", Endpoint("local", 0, 0), Endpoint("alpha", 1, 2))}},
            {{Model("test/private", Endpoint("hoarder", 0.5m, 0.5m), Endpoint("beta", 2, 4))}},
            {{Model("test/capped", Endpoint("alpha", 1, 2, maxCompletion: 100), Endpoint("beta", 2, 4, maxCompletion: 1000))}},
            {{Model("test/billed", Endpoint("alpha", 1000, 2000))}},
            {{EmbeddingModel("test/embed", Endpoint("alpha", 100, 0, parameters: EmbeddingParameters), Endpoint("beta", 200, 0, parameters: EmbeddingParameters), Endpoint("gem", 300, 0, parameters: EmbeddingParameters))}},
            {{Model("test/tri", Endpoint("alpha", 1, 1), Endpoint("claude", 1, 1, maxCompletion: 8192, parameters: ClaudeParameters), Endpoint("gem", 1, 1, maxCompletion: 8192))}},
            {{Model("test/tiered", PricedEndpoint("alpha", TieredPricing), PricedEndpoint("claude", TieredPricing, ClaudeParameters, 8192), PricedEndpoint("gem", TieredPricing, maxCompletion: 8192))}},
            {{Model("test/painter", PricedEndpoint("alpha", PainterPricing), PricedEndpoint("gem", PainterPricing, maxCompletion: 8192))}},
            {{Model("test/long-context", PricedEndpoint("alpha", LongContextPricing), Endpoint("beta", 3, 6))}}
          ]
        }
        """;
}
