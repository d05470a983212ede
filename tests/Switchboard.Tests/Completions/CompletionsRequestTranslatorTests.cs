using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Completions;

namespace Switchboard.Tests.Completions;

/// <summary>A legacy completions body as the chat request that stands for it, or the 400 that says why it cannot be.</summary>
public sealed class CompletionsRequestTranslatorTests
{
    private static (JsonObject? Chat, Switchboard.Api.ApiError? Error) Translate(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        var ok = CompletionsRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), output, out var error);
        Assert.Equal(ok, error is null);
        if (!ok)
        {
            Assert.Equal(0, output.WrittenCount);
        }
        return (ok ? JsonNode.Parse(output.WrittenSpan)!.AsObject() : null, error);
    }

    [Fact]
    public void The_prompt_becomes_one_user_message_and_the_fields_that_mean_the_same_are_copied()
    {
        var (chat, _) = Translate("""
            {"model":"m","prompt":"Once upon","max_tokens":7,"temperature":0.2,"top_p":0.9,"n":2,"stop":["\n"],"presence_penalty":0.1,
             "frequency_penalty":0.3,"seed":9,"logit_bias":{"50256":-100},"user":"u","stream":true,"stream_options":{"include_usage":true},
             "models":["a","b"],"provider":{"only":["alpha"]},"echo":false,"best_of":1,"suffix":null,"logprobs":null,"unknown":1}
            """);

        Assert.Equal("m", chat!["model"]!.GetValue<string>());
        var message = Assert.Single(chat["messages"]!.AsArray())!;
        Assert.Equal("user", message["role"]!.GetValue<string>());
        Assert.Equal("Once upon", message["content"]!.GetValue<string>());
        Assert.Equal(7, chat["max_tokens"]!.GetValue<int>());
        Assert.Equal(2, chat["n"]!.GetValue<int>());
        Assert.Equal("\n", chat["stop"]![0]!.GetValue<string>());
        Assert.Equal(9, chat["seed"]!.GetValue<int>());
        Assert.Equal(-100, chat["logit_bias"]!["50256"]!.GetValue<int>());
        Assert.True(chat["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal("alpha", chat["provider"]!["only"]![0]!.GetValue<string>());
        foreach (var gone in new[] { "prompt", "echo", "best_of", "suffix", "logprobs", "unknown" })
        {
            Assert.False(chat.ContainsKey(gone), gone);
        }
    }

    [Fact]
    public void Without_max_tokens_none_is_sent_so_the_gateways_default_applies()
    {
        var (chat, _) = Translate("""{"model":"m","prompt":["only one"],"stop":[]}""");

        Assert.False(chat!.ContainsKey("max_tokens"));
        Assert.False(chat.ContainsKey("stop"));
        Assert.Equal("only one", chat["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("[]", null)]
    [InlineData("""{"prompt":"x","suffix":"y"}""", "suffix")]
    [InlineData("""{"prompt":"x","echo":true}""", "echo")]
    [InlineData("""{"prompt":"x","logprobs":0}""", "logprobs")]
    [InlineData("""{"prompt":"x","logprobs":true}""", "logprobs")]
    [InlineData("""{"prompt":"x","best_of":2}""", "best_of")]
    [InlineData("""{"prompt":"x","best_of":"2"}""", "best_of")]
    [InlineData("""{"prompt":["a","b"]}""", "prompt")]
    [InlineData("""{"prompt":[1]}""", "prompt")]
    [InlineData("""{"prompt":""}""", "prompt")]
    [InlineData("""{"prompt":{"text":"x"}}""", "prompt")]
    [InlineData("""{"prompt":"x","metadata":{"a":1}}""", "metadata")]
    [InlineData("""{"prompt":"x","top_k":"5"}""", "top_k")]
    [InlineData("""{"prompt":"x","model":["m"]}""", "model")]
    [InlineData("""{"prompt":"x\ud800"}""", "prompt")]
    public void What_chat_cannot_carry_and_wrong_types_are_400s_naming_the_field(string body, string? field)
    {
        var (_, error) = Translate(body);

        Assert.Equal(400, error!.Status);
        Assert.Equal(field, error.Metadata?.Param);
    }

    [Fact]
    public void Malformed_json_is_a_400()
    {
        var (_, error) = Translate("""{"prompt":""");

        Assert.Equal(400, error!.Status);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
