using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Responses;

namespace Switchboard.Tests.Responses;

/// <summary>
/// Claude's signed thinking survives a Responses round trip: out as a reasoning item whose <c>encrypted_content</c>
/// is the gateway's envelope, back in as the very <c>reasoning_details</c> entries it came from.
/// </summary>
public sealed class ResponsesReasoningEnvelopeTests
{
    private const string SignedDetails =
        """[{"type":"reasoning.text","text":"I should look it up.","signature":"sig-abc","format":"anthropic-claude-v1","index":0},{"type":"reasoning.encrypted","data":"redacted-xyz","format":"anthropic-claude-v1","index":1}]""";

    [Fact]
    public void A_signed_answer_goes_out_enveloped_and_comes_back_as_the_same_entries()
    {
        var completion = $$$"""{"id":"gen-1767000000-abc","model":"test/tri","object":"chat.completion","created":1767000000,"choices":[{"index":0,"message":{"role":"assistant","content":null,"reasoning":"I should look it up.","reasoning_details":{{{SignedDetails}}},"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";
        var output = new ArrayBufferWriter<byte>();
        Assert.True(ResponsesResponseWriter.TryWrite(Encoding.UTF8.GetBytes(completion), output, ResponsesEcho.Defaults, 1767000001));
        var reasoning = JsonNode.Parse(output.WrittenSpan)!["output"]![0]!;

        Assert.Equal("I should look it up.", reasoning["summary"]![0]!["text"]!.GetValue<string>());
        var encrypted = reasoning["encrypted_content"]!.GetValue<string>();
        Assert.StartsWith(ResponsesReasoningEnvelope.Prefix, encrypted);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SignedDetails), Replayed(reasoning)));
    }

    [Fact]
    public void A_streamed_signed_thought_is_enveloped_from_its_fragments_when_the_item_closes()
    {
        const string head = """{"id":"gen-1767000000-abc","model":"test/tri","object":"chat.completion.chunk","created":1767000000,""";
        string[] fragments =
        [
            """{"type":"reasoning.text","text":"I should ","format":"anthropic-claude-v1","index":0}""",
            """{"type":"reasoning.text","text":"look it up.","format":"anthropic-claude-v1","index":0}""",
            """{"type":"reasoning.text","signature":"sig-abc","format":"anthropic-claude-v1","index":0}""",
        ];
        var output = new ArrayBufferWriter<byte>();
        var writer = new ResponsesEventWriter(output, ResponsesEcho.Defaults, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1767000001)));
        foreach (var fragment in fragments)
        {
            writer.OnChunk(Encoding.UTF8.GetBytes(head + $$"""
                "choices":[{"index":0,"delta":{"reasoning_details":[{{fragment}}]},"finish_reason":null}]}
                """));
        }
        writer.OnChunk(Encoding.UTF8.GetBytes(head + """
            "choices":[{"index":0,"delta":{"content":"Done."},"finish_reason":"stop"}]}
            """));
        writer.OnChunk(Encoding.UTF8.GetBytes(head + """
            "choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}
            """));

        var events = Encoding.UTF8.GetString(output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonNode.Parse(e[(e.IndexOf("data: ", StringComparison.Ordinal) + 6)..])!)
            .ToList();
        var done = events.First(e => e["type"]!.GetValue<string>() == "response.output_item.done")["item"]!;
        Assert.Equal("reasoning", done["type"]!.GetValue<string>());
        Assert.Equal("I should look it up.", done["summary"]![0]!["text"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonArray([.. fragments.Select(f => JsonNode.Parse(f))]), Replayed(done)));
        var completed = events[^1]["response"]!["output"]![0]!;
        Assert.Equal(done["encrypted_content"]!.GetValue<string>(), completed["encrypted_content"]!.GetValue<string>());
    }

    [Fact]
    public void Unsigned_reasoning_keeps_the_providers_own_encrypted_content()
    {
        var completion = """{"id":"gen-1","model":"m","created":1,"choices":[{"index":0,"message":{"role":"assistant","content":"x","reasoning_details":[{"type":"reasoning.summary","summary":"Thought.","index":0},{"type":"reasoning.encrypted","data":"openai-opaque","format":"openai-responses-v1","index":0}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";
        var output = new ArrayBufferWriter<byte>();
        Assert.True(ResponsesResponseWriter.TryWrite(Encoding.UTF8.GetBytes(completion), output, ResponsesEcho.Defaults, 2));
        Assert.Equal("openai-opaque", JsonNode.Parse(output.WrittenSpan)!["output"]![0]!["encrypted_content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(ResponsesReasoningEnvelope.Prefix + "not base64 !!")]
    [InlineData(ResponsesReasoningEnvelope.Prefix + "eyJhIjoxfQ")] // {"a":1}: not an array
    [InlineData(ResponsesReasoningEnvelope.Prefix + "WzFd")] // [1]: not objects
    public void A_broken_envelope_goes_back_as_opaque_data_and_is_never_an_error(string encrypted)
    {
        var chat = JsonNode.Parse(ResponsesRequestTranslatorTests.Translate(Turn(encrypted)))!;
        var details = chat["messages"]![1]!["reasoning_details"]!.AsArray();
        Assert.Equal(encrypted, details.Single(d => d!["type"]!.GetValue<string>() == "reasoning.encrypted")!["data"]!.GetValue<string>());
    }

    /// <summary>What the translator sends upstream for a reasoning item carrying this encrypted content.</summary>
    private static JsonNode Replayed(JsonNode reasoning)
    {
        var chat = JsonNode.Parse(ResponsesRequestTranslatorTests.Translate(Turn(reasoning["encrypted_content"]!.GetValue<string>())))!;
        return chat["messages"]![1]!["reasoning_details"]!;
    }

    private static string Turn(string encrypted) => new JsonObject
    {
        ["input"] = new JsonArray(
            new JsonObject { ["role"] = "user", ["content"] = "Weather?" },
            new JsonObject { ["type"] = "reasoning", ["summary"] = new JsonArray(new JsonObject { ["type"] = "summary_text", ["text"] = "I should look it up." }), ["encrypted_content"] = encrypted },
            new JsonObject { ["type"] = "function_call", ["call_id"] = "call_1", ["name"] = "f", ["arguments"] = "{}" },
            new JsonObject { ["type"] = "function_call_output", ["call_id"] = "call_1", ["output"] = "18 C" }),
    }.ToJsonString();
}
