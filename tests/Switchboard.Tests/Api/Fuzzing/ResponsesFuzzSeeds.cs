using System.Text.Json.Nodes;

namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>
/// Valid Responses API bodies the fuzzer starts from, using every field the Responses translation reads: instructions,
/// message items with text, image and file parts, assistant output sent back with function calls, their outputs and
/// reasoning, function tools and a namespace of them (as Codex CLI sends), tool choice, text formats, reasoning,
/// sampling, metadata, the accepted-and-ignored fields, and the routing extras.
/// </summary>
internal static class ResponsesFuzzSeeds
{
    public const int Shapes = 5;

    private const string Png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    /// <summary>A Responses body pinned to <paramref name="provider"/>, built around the <paramref name="shape"/>th seed.</summary>
    public static JsonObject Body(int shape, string provider, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["max_output_tokens"] = 64,
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
                body["instructions"] = "Be brief.";
                body["input"] = $"Hello {script}";
                break;
            case 1:
                body["tools"] = JsonNode.Parse("""
                    [{"type":"function","name":"lookup","description":"Look it up","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]},"strict":false},
                     {"type":"namespace","name":"agents","description":"Sub-agents","tools":[{"type":"function","name":"spawn","parameters":{"type":"object","properties":{}}}]},
                     {"type":"web_search","external_web_access":false}]
                    """);
                body["tool_choice"] = "auto";
                body["parallel_tool_calls"] = true;
                body["input"] = new JsonArray(
                    Message("developer", "Use tools."),
                    Message("user", "Find it."),
                    JsonNode.Parse("""{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Search."}],"encrypted_content":null}"""),
                    JsonNode.Parse("""{"type":"function_call","id":"fc_1","call_id":"call_1","name":"lookup","arguments":"{\"q\":\"x\"}","status":"completed"}"""),
                    JsonNode.Parse("""{"type":"function_call_output","call_id":"call_1","output":"found"}"""),
                    Message("user", $"Thanks {script}"));
                break;
            case 2:
                body["input"] = new JsonArray(new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray(
                        new JsonObject { ["type"] = "input_image", ["image_url"] = Png, ["detail"] = "auto" },
                        new JsonObject { ["type"] = "input_image", ["image_url"] = "https://example.com/a.png" },
                        new JsonObject { ["type"] = "input_text", ["text"] = $"Describe {script}" }),
                });
                break;
            case 3:
                body["reasoning"] = new JsonObject { ["effort"] = "low", ["summary"] = "auto" };
                body["max_output_tokens"] = 2048;
                body["text"] = JsonNode.Parse("""{"format":{"type":"json_schema","name":"answer","schema":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},"strict":true},"verbosity":"low"}""");
                body["input"] = new JsonArray(
                    Message("user", "Think."),
                    JsonNode.Parse("""{"type":"message","role":"assistant","id":"msg_1","status":"completed","content":[{"type":"output_text","text":"Done.","annotations":[]}]}"""),
                    Message("user", $"Again {script}"));
                break;
            default:
                body["temperature"] = 0.5;
                body["top_p"] = 0.9;
                body["metadata"] = new JsonObject { ["k"] = "v" };
                body["user"] = "fuzzer";
                body["store"] = false;
                body["include"] = new JsonArray("reasoning.encrypted_content");
                body["prompt_cache_key"] = "fuzz";
                body["truncation"] = "disabled";
                body["service_tier"] = "auto";
                body["models"] = new JsonArray("test/tri", "test/multi");
                body["input"] = $"Plain text {script}";
                break;
        }
        return body;
    }

    private static JsonObject Message(string role, string text) => new()
    {
        ["type"] = "message",
        ["role"] = role,
        ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = text }),
    };
}
