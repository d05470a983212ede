using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Simulator;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Simulator;

/// <summary>
/// The unscripted reply reads like an answer that says it is simulated, is the same for the same prompt, and keeps
/// the old filler's counting: one word is one token.
/// </summary>
public sealed class DefaultReplyTests
{
    private static readonly string[] Prompts =
    [
        "Hello!", "What is the capital of France?", "Write a haiku about routers.", "Summarise this thread.",
        "hi", "Explain fallback in one line.", "2+2?", "Translate 'cat' to German.", "Tell me a joke.",
        "Which model are you?", "Ping", "What's the weather like?",
    ];

    [Fact]
    public async Task An_unscripted_reply_is_one_sentence_of_eight_tokens_that_says_it_is_simulated()
    {
        using var http = new HttpClient();
        var simulator = await SharedSimulator.GetAsync();

        var replies = new List<string>();
        foreach (var prompt in Prompts)
        {
            var completion = await OpenAIAsync(http, simulator, OpenAIBody(prompt));
            var text = Content(completion);
            replies.Add(text);

            Assert.Equal(8, completion["usage"]!["completion_tokens"]!.GetValue<int>());
            Assert.Equal(8, text.Split(' ').Length);
            Assert.EndsWith(".", text, StringComparison.Ordinal);
            Assert.Contains("simulated", text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Switchboard", text, StringComparison.Ordinal);
            Assert.Equal("stop", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        }

        Assert.True(replies.Distinct().Count() > 1, "the prompt should pick among the openers");
    }

    [Fact]
    public async Task The_same_conversation_gets_the_same_reply_in_every_protocol_and_every_time()
    {
        using var http = new HttpClient();
        var simulator = await SharedSimulator.GetAsync();

        foreach (var prompt in Prompts[..4])
        {
            var openAI = Content(await OpenAIAsync(http, simulator, OpenAIBody(prompt, tokens: 40)));
            var again = Content(await OpenAIAsync(http, simulator, OpenAIBody(prompt, tokens: 40)));
            var anthropic = await AnthropicAsync(http, simulator, prompt, tokens: 40);

            Assert.Equal(openAI, again);
            Assert.Equal(openAI, anthropic);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(5000)]
    public async Task Scripted_tokens_give_exactly_that_many_words_streamed_one_per_event(int tokens)
    {
        using var http = new HttpClient();
        var simulator = await SharedSimulator.GetAsync();

        var completion = await OpenAIAsync(http, simulator, OpenAIBody("Count with me", tokens));
        var streamBody = OpenAIBody("Count with me", tokens);
        streamBody["stream"] = true;
        using var response = await http.PostAsJsonAsync(ChatUrl(simulator), streamBody);
        var events = (await SseClient.ReadAllAsync(response)).Chunks()
            .Select(c => c["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>())
            .Where(text => !string.IsNullOrEmpty(text))
            .ToList();

        var text = Content(completion);
        Assert.Equal(tokens, completion["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(tokens, text.Split(' ').Length);
        Assert.Equal(tokens, events.Count);
        Assert.Equal(text, string.Concat(events));
    }

    [Fact]
    public async Task A_limit_cuts_the_reply_at_that_many_words_with_finish_reason_length()
    {
        using var http = new HttpClient();
        var simulator = await SharedSimulator.GetAsync();
        var body = OpenAIBody("Hello!");
        body["max_tokens"] = 5;

        var completion = await OpenAIAsync(http, simulator, body);

        Assert.Equal("length", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(5, completion["usage"]!["completion_tokens"]!.GetValue<int>());
        var full = Content(await OpenAIAsync(http, simulator, OpenAIBody("Hello!")));
        Assert.Equal(string.Join(' ', full.Split(' ')[..5]), Content(completion).TrimEnd());
    }

    [Fact]
    public async Task A_simulator_set_to_longer_replies_continues_the_same_opener_and_ends_on_a_whole_sentence()
    {
        using var http = new HttpClient();
        await using var longer = await SimulatorServer.StartAsync(options: new SimulatorOptions { RecordRequests = false, DefaultReplySentences = 3 });
        var shared = await SharedSimulator.GetAsync();

        foreach (var prompt in Prompts[..4])
        {
            var completion = await OpenAIAsync(http, longer, OpenAIBody(prompt));
            var text = Content(completion);
            var opener = Content(await OpenAIAsync(http, shared, OpenAIBody(prompt)));

            Assert.StartsWith(opener + " ", text, StringComparison.Ordinal);
            Assert.EndsWith(".", text, StringComparison.Ordinal);
            Assert.Equal(3, text.Split(". ").Length);
            Assert.Equal(text.Split(' ').Length, completion["usage"]!["completion_tokens"]!.GetValue<int>());
        }
    }

    private static JsonObject OpenAIBody(string prompt, int? tokens = null)
    {
        var body = new JsonObject
        {
            ["model"] = "echo",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
        };
        if (tokens is { } count)
        {
            body["simulator"] = new JsonObject { ["tokens"] = count };
        }

        return body;
    }

    private static Uri ChatUrl(SimulatorServer simulator) => new(simulator.ProviderBaseUrl("reply") + "/chat/completions");

    private static async Task<JsonNode> OpenAIAsync(HttpClient http, SimulatorServer simulator, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync(ChatUrl(simulator), body);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static string Content(JsonNode completion) => completion["choices"]![0]!["message"]!["content"]!.GetValue<string>();

    private static async Task<string> AnthropicAsync(HttpClient http, SimulatorServer simulator, string prompt, int tokens)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(simulator.ProviderBaseUrl("reply") + "/messages"))
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "echo",
                ["max_tokens"] = 1000,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
                ["simulator"] = new JsonObject { ["tokens"] = tokens },
            }),
        };
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return message["content"]![0]!["text"]!.GetValue<string>();
    }
}
