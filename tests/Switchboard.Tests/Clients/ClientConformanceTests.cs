using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Clients;

/// <summary>
/// The client conformance suite: the real, unmodified clients from npm (pinned by tests/clients/package-lock.json)
/// run their checks against a real gateway and the simulator, over each upstream protocol: model test/tri pinned
/// to alpha (OpenAI-compatible), claude (Anthropic Messages) or gem (Gemini). Every check is one test case.
/// A new client joins with a script under tests/clients/checks and a line in <see cref="Clients"/>.
/// </summary>
/// <remarks><see cref="ClientPackages"/> runs npm ci first when the install is missing or stale.</remarks>
public sealed class ClientConformanceTests(GatewayFixture fixture) : GatewayTest(fixture), IClassFixture<ClientPackages>
{
    /// <summary>
    /// The Anthropic SDK and Claude Code talk to the gateway's <c>/v1/messages</c> ingress. Until it is merged their
    /// cases are not generated at all (rather than skipped); set this to true with the ingress.
    /// </summary>
    public const bool MessagesIngressAvailable = true;

    /// <summary>The Responses API, <c>POST /api/v1/responses</c>: the Agents SDK, Codex and the OpenAI SDK's <c>responses_*</c> checks.</summary>
    public const bool ResponsesIngressAvailable = false;

    /// <summary>
    /// <c>POST /api/v1/embeddings</c>: the OpenAI SDK's <c>embeddings</c> check, on <see cref="EmbeddingModel"/>, which
    /// comes into <see cref="TestCatalog"/> with the endpoint.
    /// </summary>
    public const bool EmbeddingsAvailable = false;

    /// <summary>The legacy <c>POST /api/v1/completions</c>: the OpenAI SDK's <c>completions_*</c>, the AI SDK's <c>completion_model</c>, LangChain's <c>legacy_completion</c>.</summary>
    public const bool CompletionsAvailable = true;

    private const string Model = "test/tri";

    private static readonly string[] Providers = ["alpha", "claude", "gem"];

    /// <summary>What a check needs of the gateway besides chat completions; a case is generated only when it is there.</summary>
    [Flags]
    private enum Needs
    {
        Chat = 0,
        MessagesIngress = 1,
        ResponsesIngress = 2,
        Embeddings = 4,
        Completions = 8,
    }

    private static readonly Needs Available =
        (MessagesIngressAvailable ? Needs.MessagesIngress : 0) | (ResponsesIngressAvailable ? Needs.ResponsesIngress : 0)
        | (EmbeddingsAvailable ? Needs.Embeddings : 0) | (CompletionsAvailable ? Needs.Completions : 0);

    /// <summary>The embedding model of <see cref="TestCatalog"/>, served by alpha and gem: Anthropic has no embeddings API.</summary>
    private const string EmbeddingModel = "test/embed";

    private static readonly string[] EmbeddingProviders = ["alpha", "gem"];

    /// <summary>Each client's script (tests/clients/checks/{name}.mjs) and the checks it reports, in order.</summary>
    private static readonly (string Name, TimeSpan Timeout, (string Name, Needs Needs)[] Checks)[] Clients =
    [
        ("openai", TimeSpan.FromMinutes(2),
        [
            .. Checks(Needs.Chat, "chat_create", "chat_stream", "chat_stream_helper", "tool_round_trip", "max_tokens_length", "error_wrong_key", "error_invalid_model", "json_mode"),
            .. Checks(Needs.Completions, "completions_create", "completions_unsupported_field"),
            .. Checks(Needs.ResponsesIngress, "responses_create", "responses_stream", "responses_tool_round_trip", "responses_json_schema"),
            .. Checks(Needs.Embeddings, "embeddings"),
        ]),
        ("anthropic", TimeSpan.FromMinutes(2),
            Checks(Needs.MessagesIngress, "create_api_key", "create_auth_token", "stream", "tool_round_trip", "max_tokens_stop", "error_wrong_key", "error_unknown_model", "count_tokens")),
        ("claude-code", TimeSpan.FromMinutes(4),
            Checks(Needs.MessagesIngress, "plain_prompt", "tool_read")),
        ("ai-sdk-openrouter", TimeSpan.FromMinutes(2),
        [
            .. Checks(Needs.Chat, "generate_text", "stream_text", "tool_multi_step", "generate_object", "usage_and_cost"),
            .. Checks(Needs.Completions, "completion_model"),
        ]),
        ("langchain", TimeSpan.FromMinutes(2),
        [
            .. Checks(Needs.Chat, "invoke", "stream", "tool_round_trip", "structured_output"),
            .. Checks(Needs.Completions, "legacy_completion"),
        ]),
        ("agents", TimeSpan.FromMinutes(2),
            Checks(Needs.ResponsesIngress, "plain_run", "streamed_run", "function_tool")),
        ("codex", TimeSpan.FromMinutes(3),
            Checks(Needs.ResponsesIngress, "plain_prompt", "shell_tool")),
        ("ai-sdk-openai", TimeSpan.FromMinutes(2),
        [
            .. Checks(Needs.ResponsesIngress, "responses_generate", "responses_stream", "responses_tool_steps"),
            .. Checks(Needs.Chat, "chat_generate", "chat_stream", "chat_tool_steps"),
        ]),
    ];

    public static TheoryData<string, string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string, string>();
        foreach (var (name, _, _) in Clients)
        {
            foreach (var provider in Providers)
            {
                foreach (var check in Selected(name, provider))
                {
                    cases.Add(name, Model, provider, check);
                }
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Check(string client, string model, string provider, string check)
    {
        var (_, timeout, checks) = Clients.Single(c => c.Name == client);

        var run = await ClientRun.GetAsync(Fixture.Client.BaseAddress!, Fixture.Gateway.InferenceKey, client, model, EmbeddingModel, provider, Selected(client, provider), timeout);

        Assert.True(run.Declared is not null, $"{client}.mjs did not list its checks. {run.Describe()}");
        var unlisted = run.Declared.Except(checks.Select(c => c.Name)).ToList();
        Assert.True(unlisted.Count == 0, $"{client}.mjs has checks this class does not list (add them to Clients): {string.Join(", ", unlisted)}");
        Assert.True(run.Results.TryGetValue(check, out var result), $"{client}.mjs reported nothing for {check}. {run.Describe()}");
        Assert.True(result.Ok, $"{client} / {check} / {model} via {provider}: {result.Detail}");
    }

    /// <summary>
    /// The checks of <paramref name="client"/> that run against <paramref name="provider"/>: those whose endpoints
    /// the gateway has (embeddings only on a provider that has them).
    /// </summary>
    private static List<string> Selected(string client, string provider) =>
        Clients.Single(c => c.Name == client).Checks
            .Where(c => (c.Needs & ~Available) == 0 && (!c.Needs.HasFlag(Needs.Embeddings) || EmbeddingProviders.Contains(provider)))
            .Select(c => c.Name)
            .ToList();

    private static (string Name, Needs Needs)[] Checks(Needs needs, params string[] names) => [.. names.Select(name => (name, needs))];
}
