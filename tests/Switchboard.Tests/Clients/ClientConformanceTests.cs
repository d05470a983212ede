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

    private const string Model = "test/tri";

    private static readonly string[] Providers = ["alpha", "claude", "gem"];

    /// <summary>Each client's script (tests/clients/checks/{name}.mjs) and the checks it reports, in order.</summary>
    private static readonly (string Name, bool NeedsMessagesIngress, TimeSpan Timeout, string[] Checks)[] Clients =
    [
        ("openai", false, TimeSpan.FromMinutes(2),
            ["chat_create", "chat_stream", "chat_stream_helper", "tool_round_trip", "max_tokens_length", "completions_create", "completions_unsupported_field",
                "error_wrong_key", "error_invalid_model"]),
        ("anthropic", true, TimeSpan.FromMinutes(2),
            ["create_api_key", "create_auth_token", "stream", "tool_round_trip", "max_tokens_stop", "error_wrong_key", "error_unknown_model", "count_tokens"]),
        ("claude-code", true, TimeSpan.FromMinutes(4),
            ["plain_prompt", "tool_read"]),
        ("ai-sdk-openrouter", false, TimeSpan.FromMinutes(2),
            ["generate_text", "stream_text", "tool_multi_step", "generate_object", "usage_and_cost", "completion_model"]),
        ("langchain", false, TimeSpan.FromMinutes(2),
            ["invoke", "stream", "tool_round_trip", "structured_output", "legacy_completion"]),
    ];

    public static TheoryData<string, string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string, string>();
        foreach (var (name, needsMessagesIngress, _, checks) in Clients)
        {
            if (needsMessagesIngress && !MessagesIngressAvailable)
            {
                continue;
            }
            foreach (var provider in Providers)
            {
                foreach (var check in checks)
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
        var (_, _, timeout, checks) = Clients.Single(c => c.Name == client);

        var run = await ClientRun.GetAsync(Fixture.Client.BaseAddress!, Fixture.Gateway.InferenceKey, client, model, provider, timeout);

        var unlisted = run.Results.Keys.Except(checks).ToList();
        Assert.True(unlisted.Count == 0, $"{client}.mjs reported checks this class does not list (add them to Clients): {string.Join(", ", unlisted)}");
        Assert.True(run.Results.TryGetValue(check, out var result), $"{client}.mjs reported nothing for {check}. {run.Describe()}");
        Assert.True(result.Ok, $"{client} / {check} / {model} via {provider}: {result.Detail}");
    }
}
