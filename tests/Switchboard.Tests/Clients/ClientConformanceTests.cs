using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Clients;

/// <summary>
/// The client conformance suite: the real, unmodified clients from npm (pinned by tests/clients/package-lock.json)
/// run their checks against a real gateway and the simulator, over each upstream protocol: model test/tri pinned
/// to alpha (OpenAI-compatible), claude (Anthropic Messages) or gem (Gemini), or once where the upstream does not
/// matter. Every check is one test case.
/// A new client joins with a script under tests/clients/checks and a line in <see cref="Clients"/>.
/// </summary>
/// <remarks><see cref="ClientPackages"/> runs npm ci first when the install is missing or stale.</remarks>
public sealed class ClientConformanceTests(GatewayFixture fixture) : GatewayTest(fixture), IClassFixture<ClientPackages>
{
    private const string Model = "test/tri";

    /// <summary>The test catalog's embedding model (alpha speaks OpenAI's embeddings, gem Gemini's).</summary>
    private const string EmbeddingModel = "test/embed";

    /// <summary>Every upstream protocol, for checks whose answer goes through a provider's translation.</summary>
    private static readonly string[] AllProviders = ["alpha", "claude", "gem"];

    /// <summary>One provider, for checks whose answer does not depend on the upstream (catalog, keys, credits).</summary>
    private static readonly string[] AnyProvider = ["alpha"];

    /// <summary>The upstream protocols that have embeddings (Anthropic has none).</summary>
    private static readonly string[] EmbeddingProviders = ["alpha", "gem"];

    /// <summary>
    /// Each client: its name (the test case's first argument), the script it runs (tests/clients/checks/{script}.mjs),
    /// the model and providers it runs against, and the checks it reports, in order. Several clients may share a
    /// script (one row per API it calls): each run asks the script for its own checks only (SWITCHBOARD_CHECKS).
    /// </summary>
    private static readonly ClientEntry[] Clients =
    [
        new("openai", "openai", Model, AllProviders, TimeSpan.FromMinutes(2),
            ["chat_create", "chat_stream", "chat_stream_helper", "tool_round_trip", "max_tokens_length", "completions_create", "completions_unsupported_field",
                "error_wrong_key", "error_invalid_model", "json_mode"]),
        new("openai-responses", "openai", Model, AllProviders, TimeSpan.FromMinutes(2),
            ["responses_create", "responses_stream", "responses_tool_round_trip", "responses_json_schema"]),
        new("openai-embeddings", "openai", EmbeddingModel, EmbeddingProviders, TimeSpan.FromMinutes(2),
            ["embeddings"]),
        new("anthropic", "anthropic", Model, AllProviders, TimeSpan.FromMinutes(2),
            ["create_api_key", "create_auth_token", "stream", "tool_round_trip", "max_tokens_stop", "error_wrong_key", "error_unknown_model", "count_tokens"]),
        new("claude-code", "claude-code", Model, AllProviders, TimeSpan.FromMinutes(4),
            ["plain_prompt", "tool_read"]),
        new("codex", "codex", Model, AllProviders, TimeSpan.FromMinutes(3),
            ["plain_prompt", "shell_tool"]),
        new("agents", "agents", Model, AllProviders, TimeSpan.FromMinutes(2),
            ["plain_run", "streamed_run", "function_tool"]),
        new("ai-sdk-openai", "ai-sdk-openai", Model, AllProviders, TimeSpan.FromMinutes(2),
            ["responses_generate", "responses_stream", "responses_tool_steps", "chat_generate", "chat_stream", "chat_tool_steps"]),
        new("ai-sdk-openrouter", "ai-sdk-openrouter", Model, AllProviders, TimeSpan.FromMinutes(2),
            ["generate_text", "stream_text", "tool_multi_step", "generate_object", "usage_and_cost", "completion_model"]),
        new("langchain", "langchain", Model, AllProviders, TimeSpan.FromMinutes(2),
            ["invoke", "stream", "tool_round_trip", "structured_output", "legacy_completion"]),
        new("openrouter", "openrouter", Model, AllProviders, TimeSpan.FromMinutes(2),
            ["chat_send", "chat_stream", "chat_tools", "chat_stream_tools", "chat_reasoning", "chat_stream_reasoning", "generation_get", "responses_send"]),
        new("openrouter-metadata", "openrouter", Model, AnyProvider, TimeSpan.FromMinutes(2),
            ["models_list", "models_count", "models_get", "models_list_for_user", "endpoints_list", "providers_list",
             "key_current", "keys_create", "keys_get", "keys_update", "keys_list", "keys_delete", "credits_get", "activity_get"]),
        new("openrouter-embeddings", "openrouter", EmbeddingModel, EmbeddingProviders, TimeSpan.FromMinutes(2),
            ["embeddings_generate"]),
    ];

    public static TheoryData<string, string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string, string>();
        foreach (var client in Clients)
        {
            foreach (var provider in client.Providers)
            {
                foreach (var check in client.Checks)
                {
                    cases.Add(client.Name, client.Model, provider, check);
                }
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Check(string client, string model, string provider, string check)
    {
        var entry = Clients.Single(c => c.Name == client);

        var run = await ClientRun.GetAsync(new ClientRunArguments(
            Fixture.Client.BaseAddress!, Fixture.Gateway.InferenceKey, GatewayFactory.ManagementKey,
            client, entry.Script, model, provider, entry.Checks, entry.Timeout));

        // Every check the script has belongs to one of its clients here, so the two cannot drift apart.
        var listed = Clients.Where(c => c.Script == entry.Script).SelectMany(c => c.Checks);
        var unlisted = run.ScriptChecks.Except(listed).ToList();
        Assert.True(unlisted.Count == 0, $"{entry.Script}.mjs has checks this class does not list (add them to Clients): {string.Join(", ", unlisted)}");
        Assert.True(run.Results.TryGetValue(check, out var result), $"{entry.Script}.mjs reported nothing for {check}. {run.Describe()}");
        Assert.True(result.Ok, $"{client} / {check} / {model} via {provider}: {result.Detail}");
    }

    private sealed record ClientEntry(string Name, string Script, string Model, string[] Providers, TimeSpan Timeout, string[] Checks);
}
