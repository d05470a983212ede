using System.Text.Json.Nodes;

namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>
/// Valid embeddings bodies the fuzzer starts from, using every field the gateway reads: each form of <c>input</c>
/// (a string, strings, token ids, token-id arrays), <c>dimensions</c>, <c>encoding_format</c>, <c>input_type</c>,
/// <c>user</c>, <c>models</c> and <c>provider</c>. Gemini takes text only, so its seeds are text.
/// </summary>
internal static class EmbeddingsFuzzSeeds
{
    public static readonly string[] Providers = ["alpha", "gem"];

    public static JsonObject Body(int shape, string provider)
    {
        var text = provider == "gem" || shape % 4 < 2;
        var body = new JsonObject
        {
            ["model"] = "test/embed",
            ["input"] = (shape % 4) switch
            {
                0 => "The quick brown fox <simulator>{\"latency_ms\":1}</simulator>",
                1 => new JsonArray("first text", "second text", "third"),
                2 when !text => new JsonArray(1, 2, 3, 4),
                3 when !text => new JsonArray(new JsonArray(5, 6), new JsonArray(7)),
                _ => new JsonArray("just one"),
            },
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider), ["allow_fallbacks"] = false, ["data_collection"] = "allow" },
        };
        if (shape % 3 == 0)
        {
            body["dimensions"] = 8;
        }
        if (shape % 5 < 2)
        {
            body["encoding_format"] = shape % 2 == 0 ? "base64" : "float";
        }
        if (shape % 7 == 0)
        {
            body["input_type"] = "search_document";
        }
        if (shape % 2 == 1)
        {
            body["user"] = "fuzz-user";
            body["models"] = new JsonArray("test/embed");
        }
        return body;
    }
}
