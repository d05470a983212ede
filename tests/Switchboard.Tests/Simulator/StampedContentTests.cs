using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Simulator;

/// <summary><c>stamp_content</c>: the benchmark times each event's trip with send times the simulator writes into the text.</summary>
public sealed class StampedContentTests
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, bool stream)
    {
        var simulator = await SharedSimulator.GetAsync();
        var body = new JsonObject
        {
            ["model"] = "echo",
            ["stream"] = stream,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            ["simulator"] = new JsonObject { ["tokens"] = 3, ["stamp_content"] = true },
        };
        return await http.PostAsJsonAsync(new Uri(simulator.ProviderBaseUrl("stamp") + "/chat/completions"), body);
    }

    [Fact]
    public async Task Stream_content_events_carry_their_send_time_on_this_machines_monotonic_clock()
    {
        using var http = new HttpClient();
        var before = Stopwatch.GetTimestamp();

        using var response = await PostAsync(http, stream: true);
        var messages = await SseClient.ReadAllAsync(response);
        var after = Stopwatch.GetTimestamp();

        var contents = messages.Chunks()
            .Select(c => c["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>())
            .Where(text => !string.IsNullOrEmpty(text))
            .ToList();
        Assert.Equal(3, contents.Count);
        Assert.All(contents, text => Assert.EndsWith(" ", text));
        var stamps = contents.Select(text => long.Parse(text!.TrimEnd(), NumberStyles.None, CultureInfo.InvariantCulture)).ToList();
        Assert.All(stamps, stamp => Assert.InRange(stamp, before, after));
        Assert.Equal(stamps.Order(), stamps);
        Assert.True(messages[^1].IsDone);
    }

    [Fact]
    public async Task Non_streamed_answers_ignore_the_stamp()
    {
        using var http = new HttpClient();

        using var response = await PostAsync(http, stream: false);
        var completion = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var words = completion["choices"]![0]!["message"]!["content"]!.GetValue<string>().Split(' ');
        Assert.Equal(3, words.Length);
        Assert.DoesNotContain(words, word => word.All(char.IsAsciiDigit));
    }
}
