using System.Text.Json.Nodes;

namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>
/// Valid legacy completions bodies the fuzzer starts from, using every field the completions translation reads:
/// the prompt as a string and as an array of one, sampling, stops, seed, logit bias, the fields it refuses when set
/// (sent unset), streams with usage, metadata and the routing extras.
/// </summary>
internal static class CompletionsFuzzSeeds
{
    public const int Shapes = 4;

    /// <summary>A completions body pinned to <paramref name="provider"/>, built around the <paramref name="shape"/>th seed.</summary>
    public static JsonObject Body(int shape, string provider, bool stream)
    {
        var prompt = """Once upon a time <simulator>{"tokens":3}</simulator>""";
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["prompt"] = prompt,
            ["max_tokens"] = 16,
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
        };
        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        switch (shape % Shapes)
        {
            case 0:
                body["temperature"] = 0.7;
                body["top_p"] = 0.9;
                body["stop"] = new JsonArray("END", "\n\n");
                body["seed"] = 7;
                body["user"] = "fuzzer";
                break;
            case 1:
                body["prompt"] = new JsonArray(prompt);
                body["n"] = 2;
                body["presence_penalty"] = 0.5;
                body["frequency_penalty"] = 0.25;
                body["logit_bias"] = new JsonObject { ["50256"] = -100 };
                body["echo"] = false;
                body["best_of"] = 1;
                body["suffix"] = "";
                body["logprobs"] = null;
                break;
            case 2:
                body["stop"] = "END";
                body["models"] = new JsonArray("test/tri", "test/multi");
                body["top_k"] = 20;
                body["repetition_penalty"] = 1.1;
                break;
            default:
                body["metadata"] = new JsonObject { ["run"] = "fuzz" };
                body["response_format"] = new JsonObject { ["type"] = "json_object" };
                body["usage"] = new JsonObject { ["include"] = true };
                break;
        }
        return body;
    }
}
