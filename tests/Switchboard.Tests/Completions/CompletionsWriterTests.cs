using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Completions;
using Switchboard.Streaming;

namespace Switchboard.Tests.Completions;

/// <summary>The gateway's chat completions and chunks as legacy <c>text_completion</c> objects and events.</summary>
public sealed class CompletionsWriterTests
{
    private const string Head = """{"id":"gen-1767000000-abc","provider":"Alpha","model":"test/tri","object":"chat.completion.chunk","created":1767000000,""";

    private const string Usage = Head + """
        "choices":[],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16,"cost":0.0001,"is_byok":false}}
        """;

    private static string Chunk(string delta, string finish = "null", int index = 0) =>
        Head + $$"""
        "choices":[{"index":{{index}},"delta":{{delta}},"finish_reason":{{finish}},"native_finish_reason":null}]}
        """;

    private static (List<JsonObject> Events, bool Done, string Raw) Stream(Action<CompletionsEventWriter> more, params string[] chunks)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new CompletionsEventWriter(output);
        foreach (var chunk in chunks)
        {
            writer.OnChunk(Encoding.UTF8.GetBytes(chunk));
        }
        more(writer);
        var raw = Encoding.UTF8.GetString(output.WrittenSpan);
        var events = new List<JsonObject>();
        var done = false;
        foreach (var block in raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block);
            if (block == "data: [DONE]")
            {
                done = true;
                continue;
            }
            events.Add(JsonNode.Parse(block[6..])!.AsObject());
        }
        return (events, done, raw);
    }

    [Fact]
    public void A_stream_becomes_text_completion_events_the_role_chunk_dropped_and_ends_with_done()
    {
        var (events, done, _) = Stream(w => w.WriteDone(),
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"content":"Hello"}"""),
            Chunk("""{"reasoning":"hmm"}"""),
            Chunk("""{"content":" world"}"""),
            Chunk("{}", "\"stop\""),
            Usage);

        Assert.True(done);
        Assert.Equal(4, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("gen-1767000000-abc", e["id"]!.GetValue<string>());
            Assert.Equal("text_completion", e["object"]!.GetValue<string>());
            Assert.Equal(1767000000, e["created"]!.GetValue<long>());
            Assert.Equal("test/tri", e["model"]!.GetValue<string>());
        });
        Assert.Equal("Hello", events[0]["choices"]![0]!["text"]!.GetValue<string>());
        Assert.Null(events[0]["choices"]![0]!["finish_reason"]);
        Assert.Null(events[0]["choices"]![0]!["logprobs"]);
        Assert.Equal("", events[2]["choices"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("stop", events[2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Empty(events[3]["choices"]!.AsArray());
        Assert.Equal(0.0001m, events[3]["usage"]!["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public void Choices_keep_their_index()
    {
        var (events, _, _) = Stream(_ => { }, Chunk("""{"content":"b"}""", index: 1), Chunk("{}", "\"length\"", index: 1));

        Assert.Equal(1, events[0]["choices"]![0]!["index"]!.GetValue<int>());
        Assert.Equal("length", events[1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void The_gateways_error_chunk_keeps_its_error_and_usage_and_nothing_follows_it()
    {
        var error = Head + """
            "error":{"code":502,"message":"The provider failed."},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error","native_finish_reason":null}],"usage":{"prompt_tokens":3,"completion_tokens":1,"cost":0.00001}}
            """;
        var (events, done, raw) = Stream(w => { w.WriteKeepAlive(); w.WriteDone(); }, Chunk("""{"content":"Hi"}"""), error, Chunk("""{"content":"late"}"""));

        Assert.False(done);
        Assert.DoesNotContain(": ", raw.Replace("data: ", ""));
        Assert.Equal(2, events.Count);
        Assert.Equal(502, events[1]["error"]!["code"]!.GetValue<int>());
        Assert.Equal("error", events[1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(1, events[1]["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Keep_alives_are_sse_comments()
    {
        var output = new ArrayBufferWriter<byte>();
        new CompletionsEventWriter(output).WriteKeepAlive();

        Assert.StartsWith(": ", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.EndsWith("\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void A_completion_becomes_a_text_completion_with_every_choice_and_the_usage()
    {
        var completion = """
            {"id":"gen-1","provider":"Gem","model":"test/tri","object":"chat.completion","created":1767000000,"system_fingerprint":"fp_1",
             "choices":[{"index":0,"message":{"role":"assistant","content":"first"},"finish_reason":"stop","native_finish_reason":"STOP"},
                        {"index":1,"message":{"role":"assistant","content":[{"type":"text","text":"sec"},{"type":"text","text":"ond"}]},"finish_reason":"length","native_finish_reason":"MAX_TOKENS"},
                        {"index":2,"message":{"role":"assistant","content":null,"refusal":"no"},"finish_reason":"content_filter"}],
             "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12,"cost":0.5}}
            """;
        var output = new ArrayBufferWriter<byte>();

        Assert.True(CompletionsResponseWriter.TryWrite(Encoding.UTF8.GetBytes(completion), output));

        var text = JsonNode.Parse(output.WrittenSpan)!;
        Assert.Equal("gen-1", text["id"]!.GetValue<string>());
        Assert.Equal("text_completion", text["object"]!.GetValue<string>());
        Assert.Equal("Gem", text["provider"]!.GetValue<string>());
        Assert.Equal("fp_1", text["system_fingerprint"]!.GetValue<string>());
        var choices = text["choices"]!.AsArray();
        Assert.Equal(["first", "second", "no"], choices.Select(c => c!["text"]!.GetValue<string>()));
        Assert.Equal([0, 1, 2], choices.Select(c => c!["index"]!.GetValue<int>()));
        Assert.Equal(["stop", "length", "content_filter"], choices.Select(c => c!["finish_reason"]!.GetValue<string>()));
        Assert.Equal("MAX_TOKENS", choices[1]!["native_finish_reason"]!.GetValue<string>());
        Assert.All(choices, c => Assert.True(c!.AsObject().ContainsKey("logprobs")));
        Assert.Equal(0.5m, text["usage"]!["cost"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id":"gen-1","choices":[]}""")]
    [InlineData("""{"id":"gen-1","choices":[{"index":0}]}""")]
    [InlineData("""{"id":"gen-1","choices":[{"index":0,"message":{"content":5}}]}""")]
    public void A_completion_that_cannot_be_a_text_completion_writes_nothing(string completion)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.False(CompletionsResponseWriter.TryWrite(Encoding.UTF8.GetBytes(completion), output));
        Assert.Equal(0, output.WrittenCount);
    }
}
