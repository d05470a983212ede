using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Simulator;

/// <summary>
/// The simulator's embeddings, spoken to directly: OpenAI's <c>/v1/embeddings</c> and Gemini's <c>:embedContent</c> and
/// <c>:batchEmbedContents</c>, validated like the real APIs, with deterministic vectors that are the same for the same
/// text and length whichever protocol carried it, and scripted errors.
/// </summary>
public sealed class EmbeddingsSimulatorTests
{
    private static readonly HttpClient Http = new();

    private static async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        var simulator = await SharedSimulator.GetAsync();
        return await Http.PostAsync(new Uri(simulator.BaseAddress, path), new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private static float[] Floats(JsonNode values) => [.. values.AsArray().Select(v => v!.GetValue<float>())];

    [Fact]
    public async Task OpenAI_answers_one_unit_vector_per_input_with_usage_and_base64_of_the_same_floats()
    {
        using var floats = await PostAsync("/sim-emb/v1/embeddings", """{"model":"m","input":["hello world","another"],"dimensions":6}""");
        var json = await AccountClient.ReadObjectAsync(floats, HttpStatusCode.OK);
        Assert.Equal("list", json["object"]!.GetValue<string>());
        Assert.Equal("m", json["model"]!.GetValue<string>());
        var data = json["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        var first = Floats(data[0]!["embedding"]!);
        Assert.Equal(6, first.Length);
        Assert.Equal(1.0, Math.Sqrt(first.Sum(v => (double)v * v)), 4);
        Assert.Equal((11 / 4) + (7 / 4), json["usage"]!["prompt_tokens"]!.GetValue<int>());

        using var encoded = await PostAsync("/sim-emb/v1/embeddings", """{"model":"m","input":"hello world","dimensions":6,"encoding_format":"base64"}""");
        var bytes = Convert.FromBase64String((await AccountClient.ReadObjectAsync(encoded, HttpStatusCode.OK))["data"]![0]!["embedding"]!.GetValue<string>());
        Assert.Equal(first, Enumerable.Range(0, 6).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))));
    }

    [Fact]
    public async Task The_same_text_gets_the_same_vector_from_Gemini_as_from_OpenAI()
    {
        using var openAi = await PostAsync("/sim-emb/v1/embeddings", """{"model":"m","input":"same text","dimensions":5}""");
        using var single = await PostAsync("/sim-emb/v1beta/models/g:embedContent", """{"content":{"parts":[{"text":"same text"}]},"outputDimensionality":5}""");
        using var batch = await PostAsync("/sim-emb/v1beta/models/g:batchEmbedContents",
            """{"requests":[{"model":"models/g","content":{"parts":[{"text":"other"}]},"outputDimensionality":5},{"model":"models/g","content":{"parts":[{"text":"same text"}]},"taskType":"RETRIEVAL_DOCUMENT","outputDimensionality":5}]}""");

        var expected = Floats((await AccountClient.ReadObjectAsync(openAi, HttpStatusCode.OK))["data"]![0]!["embedding"]!);
        Assert.Equal(expected, Floats((await AccountClient.ReadObjectAsync(single, HttpStatusCode.OK))["embedding"]!["values"]!));
        var embeddings = (await AccountClient.ReadObjectAsync(batch, HttpStatusCode.OK))["embeddings"]!.AsArray();
        Assert.Equal(2, embeddings.Count);
        Assert.Equal(expected, Floats(embeddings[1]!["values"]!));
        Assert.NotEqual(expected, Floats(embeddings[0]!["values"]!));
    }

    [Theory]
    [InlineData("""{"model":"m","input":"a","provider":{}}""", "Unrecognized request argument supplied: provider")]
    [InlineData("""{"model":"m","input":""}""", "'$.input' is invalid")]
    [InlineData("""{"model":"m","input":["a",[1]]}""", "'$.input' is invalid")]
    [InlineData("""{"model":"text-embedding-ada-002","input":"a","dimensions":8}""", "does not support specifying dimensions")]
    [InlineData("""{"model":"m","input":"a","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("""{"input":"a"}""", "you must provide a model parameter")]
    public async Task OpenAI_refuses_what_OpenAI_refuses(string body, string message)
    {
        using var response = await PostAsync("/sim-emb/v1/embeddings", body);

        var error = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!;
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"requests":[{"content":{"parts":[{"text":"a"}]}}]}""", "model must be")]
    [InlineData("""{"requests":[{"model":"models/other","content":{"parts":[{"text":"a"}]}}]}""", "model must be")]
    [InlineData("""{"requests":[{"model":"models/g","content":{"parts":[{"text":"a"}]},"taskType":"POEM"}]}""", "TaskType")]
    [InlineData("""{"requests":[{"model":"models/g","content":{"parts":[{"text":"a"}]},"dims":3}]}""", "Unknown name \"dims\"")]
    [InlineData("""{"requests":[{"model":"models/g","content":{"parts":[{"inlineData":{}}]}}]}""", "only text parts")]
    [InlineData("""{"requests":[]}""", "must not be empty")]
    public async Task Gemini_refuses_what_Gemini_refuses(string body, string message)
    {
        using var response = await PostAsync("/sim-emb/v1beta/models/g:batchEmbedContents", body);

        var error = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!;
        Assert.Equal("INVALID_ARGUMENT", error["status"]!.GetValue<string>());
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gemini_takes_at_most_100_requests_in_a_batch()
    {
        var requests = string.Join(",", Enumerable.Range(0, 101).Select(i => $$$"""{"model":"models/g","content":{"parts":[{"text":"t{{{i}}}"}]}}"""));
        using var response = await PostAsync("/sim-emb/v1beta/models/g:batchEmbedContents", $$"""{"requests":[{{requests}}]}""");

        var error = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!;
        Assert.Contains("at most 100 requests", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scripted_status_answers_in_each_protocols_error_shape()
    {
        using var openAi = await PostAsync("/sim-emb/v1/embeddings", """{"model":"m","input":"x <simulator>{\"status\":429,\"retry_after\":7}</simulator>"}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, openAi.StatusCode);
        Assert.Equal("7", openAi.Headers.GetValues("Retry-After").Single());
        Assert.Equal("rate_limit_error", (await openAi.JsonAsync())["error"]!["type"]!.GetValue<string>());

        using var gemini = await PostAsync("/sim-emb/v1beta/models/g:embedContent", """{"content":{"parts":[{"text":"x <simulator>{\"status\":503}</simulator>"}]}}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gemini.StatusCode);
        Assert.Equal("UNAVAILABLE", (await gemini.JsonAsync())["error"]!["status"]!.GetValue<string>());
    }
}
