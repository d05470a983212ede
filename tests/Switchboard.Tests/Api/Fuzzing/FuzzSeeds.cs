using System.Text.Json.Nodes;

namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>
/// Valid bodies the fuzzer starts from: chat requests that use every field a translation reads (content parts of
/// each kind, tools and tool choices, tool calls and their results, reasoning details, JSON output, stops, streams),
/// and a body for each management and web endpoint that takes JSON.
/// </summary>
internal static class FuzzSeeds
{
    /// <summary>test/tri's endpoints, one per protocol: OpenAI-compatible, Anthropic, Gemini.</summary>
    public static readonly string[] Providers = ["alpha", "claude", "gem"];

    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    /// <summary>A chat body pinned to <paramref name="provider"/>, built around the <paramref name="shape"/>th seed.</summary>
    public static JsonObject Chat(int shape, string provider, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["messages"] = Messages(shape),
            ["max_tokens"] = 16,
            // Pinned, so each protocol's translation is what gets the body; the short script keeps answers small.
            ["provider"] = shape % 2 == 0
                ? new JsonObject { ["only"] = new JsonArray(provider) }
                : new JsonObject { ["order"] = new JsonArray(provider), ["allow_fallbacks"] = false },
        };
        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        switch (shape % ChatShapes)
        {
            case 1:
                body["tools"] = Tools();
                body["tool_choice"] = "auto";
                body["parallel_tool_calls"] = false;
                break;
            case 2:
                body["tools"] = Tools();
                body["tool_choice"] = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "lookup" } };
                break;
            case 3:
                body["response_format"] = new JsonObject
                {
                    ["type"] = "json_schema",
                    ["json_schema"] = new JsonObject
                    {
                        ["name"] = "answer",
                        ["schema"] = JsonNode.Parse("""
                            {"type":"object","properties":{"a":{"$ref":"#/$defs/item"},"b":{"anyOf":[{"type":"string"},{"type":"null"}]},
                             "c":{"type":["integer","null"],"const":3},"d":{"type":"array"}},"required":["a","x"],
                             "$defs":{"item":{"type":"string","format":"date-time","description":"when"}},"additionalProperties":false}
                            """),
                    },
                };
                body["temperature"] = 1.5;
                body["top_p"] = 0.97;
                body["top_k"] = 40;
                body["stop"] = new JsonArray("END", " ", "");
                body["seed"] = 7;
                break;
            case 4:
                body["reasoning"] = new JsonObject { ["effort"] = "low" };
                body["response_format"] = new JsonObject { ["type"] = "json_object" };
                break;
            case 5:
                body["models"] = new JsonArray("test/tri", "test/multi");
                body["stop"] = "STOP";
                body["user"] = "fuzzer";
                body["metadata"] = new JsonObject { ["k"] = "v" };
                body["logit_bias"] = new JsonObject { ["50256"] = -100 };
                body["reasoning_effort"] = "medium";
                break;
            case 6:
                body["functions"] = new JsonArray(new JsonObject { ["name"] = "lookup", ["parameters"] = new JsonObject { ["type"] = "object" } });
                body["function_call"] = "auto";
                body["n"] = 1;
                break;
        }
        return body;
    }

    public const int ChatShapes = 7;

    private static JsonArray Messages(int shape)
    {
        var script = " <simulator>{\"tokens\":3}</simulator>";
        return (shape % ChatShapes) switch
        {
            0 => [new JsonObject { ["role"] = "user", ["content"] = "Hello there." + script }],
            1 or 2 =>
            [
                new JsonObject { ["role"] = "system", ["content"] = "Use the tools." },
                new JsonObject { ["role"] = "user", ["content"] = "Look up cats." },
                new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = null,
                    ["tool_calls"] = new JsonArray(
                        new JsonObject { ["id"] = "call_1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "lookup", ["arguments"] = "{\"q\":\"cats\"}" } },
                        new JsonObject { ["id"] = "call_2", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "lookup", ["arguments"] = "[1,2]" } }),
                },
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = "call_1", ["content"] = "{\"found\":true}" },
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = "call_2", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "none" }) },
                new JsonObject { ["role"] = "user", ["content"] = "Now answer." + script },
            ],
            3 =>
            [
                new JsonObject
                {
                    ["role"] = "developer",
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Answer in JSON.", ["cache_control"] = new JsonObject { ["type"] = "ephemeral" } }),
                },
                new JsonObject
                {
                    ["role"] = "user",
                    ["name"] = "ann",
                    ["content"] = new JsonArray(
                        new JsonObject { ["type"] = "text", ["text"] = "Describe these." + script },
                        new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = $"data:image/png;base64,{Png}", ["detail"] = "low" } },
                        new JsonObject { ["type"] = "image_url", ["image_url"] = "https://example.com/cat.png" },
                        new JsonObject { ["type"] = "input_audio", ["input_audio"] = new JsonObject { ["data"] = "UklGRg==", ["format"] = "wav" } },
                        new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["filename"] = "a.pdf", ["file_data"] = "data:application/pdf;base64,JVBERi0xLjQK" } }),
                },
            ],
            4 =>
            [
                new JsonObject { ["role"] = "user", ["content"] = "Think." },
                new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = "Thought about it. ",
                    ["reasoning_details"] = new JsonArray(
                        new JsonObject { ["type"] = "reasoning.text", ["text"] = "hmm", ["signature"] = "sig", ["format"] = "anthropic-claude-v1", ["index"] = 0 },
                        new JsonObject { ["type"] = "reasoning.encrypted", ["data"] = "opaque", ["format"] = "anthropic-claude-v1", ["index"] = 1 },
                        new JsonObject { ["type"] = "reasoning.text", ["signature"] = "gsig", ["format"] = "google-gemini-v1", ["index"] = 0 }),
                },
                new JsonObject { ["role"] = "user", ["content"] = "Go on." + script },
            ],
            6 =>
            [
                new JsonObject { ["role"] = "user", ["content"] = "Call it." },
                new JsonObject { ["role"] = "assistant", ["content"] = "", ["function_call"] = new JsonObject { ["name"] = "lookup", ["arguments"] = "{}" } },
                new JsonObject { ["role"] = "function", ["name"] = "lookup", ["content"] = "42" },
                new JsonObject { ["role"] = "user", ["content"] = "Thanks." + script },
            ],
            _ =>
            [
                new JsonObject { ["role"] = "system", ["content"] = "Be brief." },
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Hi." + script }) },
                new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Hello." }), ["refusal"] = null },
                new JsonObject { ["role"] = "user", ["content"] = "Again." + script },
            ],
        };
    }

    private static JsonArray Tools() =>
    [
        new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = "lookup",
                ["description"] = "Looks a word up",
                ["parameters"] = JsonNode.Parse("""{"type":"object","properties":{"q":{"type":"string"},"n":{"type":"integer","minimum":1}},"required":["q"]}"""),
                ["strict"] = true,
            },
            ["cache_control"] = new JsonObject { ["type"] = "ephemeral" },
        },
        new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "noop" } },
    ];
}
