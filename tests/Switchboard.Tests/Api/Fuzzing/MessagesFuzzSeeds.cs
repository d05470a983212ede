using System.Text.Json.Nodes;

namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>
/// Valid Messages API bodies the fuzzer starts from, using every field the Messages translation and the Claude
/// passthrough read: system blocks with cache breakpoints, images and documents, tools with tool_use and tool_result
/// turns, thinking blocks with signatures, stop sequences, sampling, metadata, mid-conversation system messages,
/// and the routing extras.
/// </summary>
internal static class MessagesFuzzSeeds
{
    public const int Shapes = 6;

    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    /// <summary>A Messages body pinned to <paramref name="provider"/>, built around the <paramref name="shape"/>th seed.</summary>
    public static JsonObject Body(int shape, string provider, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["max_tokens"] = 16,
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
        };
        if (stream)
        {
            body["stream"] = true;
        }
        var script = """<simulator>{"tokens":3}</simulator>""";
        switch (shape % Shapes)
        {
            case 0:
                body["system"] = JsonNode.Parse("""[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Today."}]""");
                body["messages"] = new JsonArray(User($"Hello {script}"));
                break;
            case 1:
                body["tools"] = JsonNode.Parse("""[{"name":"lookup","description":"Look it up","input_schema":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}]""");
                body["tool_choice"] = new JsonObject { ["type"] = "auto", ["disable_parallel_tool_use"] = true };
                body["messages"] = new JsonArray(
                    User("Find it."),
                    new JsonObject
                    {
                        ["role"] = "assistant",
                        ["content"] = JsonNode.Parse("""[{"type":"text","text":"Looking."},{"type":"tool_use","id":"toolu_01","name":"lookup","input":{"q":"x"}}]"""),
                    },
                    new JsonObject
                    {
                        ["role"] = "user",
                        ["content"] = new JsonArray(
                            JsonNode.Parse("""{"type":"tool_result","tool_use_id":"toolu_01","content":[{"type":"text","text":"found"}]}"""),
                            new JsonObject { ["type"] = "text", ["text"] = $"Thanks {script}" }),
                    });
                break;
            case 2:
                body["messages"] = new JsonArray(new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray(
                        new JsonObject { ["type"] = "image", ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "image/png", ["data"] = Png } },
                        new JsonObject { ["type"] = "image", ["source"] = new JsonObject { ["type"] = "url", ["url"] = "https://example.com/a.png" } },
                        new JsonObject { ["type"] = "text", ["text"] = $"Describe {script}" }),
                });
                break;
            case 3:
                body["max_tokens"] = 2048;
                body["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 1024 };
                body["messages"] = new JsonArray(
                    User("Think."),
                    new JsonObject
                    {
                        ["role"] = "assistant",
                        ["content"] = JsonNode.Parse("""[{"type":"thinking","thinking":"Hmm.","signature":"sig-1"},{"type":"text","text":"Done."}]"""),
                    },
                    User($"Again {script}"));
                break;
            case 4:
                body["stop_sequences"] = new JsonArray("END");
                body["temperature"] = 0.5;
                body["top_p"] = 0.9;
                body["top_k"] = 20;
                body["metadata"] = new JsonObject { ["user_id"] = "fuzzer" };
                body["fallbacks"] = new JsonArray("test/multi");
                body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"Plain text {script}" });
                break;
            default:
                body["output_config"] = new JsonObject { ["effort"] = "low" };
                body["messages"] = new JsonArray(
                    User("First."),
                    new JsonObject { ["role"] = "system", ["content"] = "Mid-conversation note." },
                    User($"Second {script}"));
                break;
        }
        return body;
    }

    private static JsonObject User(string text) => new()
    {
        ["role"] = "user",
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
    };
}
