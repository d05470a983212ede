using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.CrossProtocol;

/// <summary>
/// What a client got, reduced to what must be the same whichever protocol served it: text, reasoning, tool calls,
/// finish reasons, usage and errors. Built the same way from a chat.completion or from a stream's chunks.
/// </summary>
public sealed record ChatOutcome(
    HttpStatusCode Status,
    string? Provider,
    string Text,
    string Reasoning,
    IReadOnlyList<(string Id, string Name, string Arguments)> ToolCalls,
    string? FinishReason,
    string? NativeFinishReason,
    JsonNode? Usage,
    JsonNode? Error,
    bool EndedWithDone)
{
    public static async Task<ChatOutcome> ReadAsync(HttpResponseMessage response, bool stream)
    {
        if (response.StatusCode != HttpStatusCode.OK || !stream)
        {
            var json = await response.JsonAsync();
            if (json["error"] is { } httpError)
            {
                return new ChatOutcome(response.StatusCode, null, "", "", [], null, null, null, httpError, false);
            }
            var choice = json["choices"]![0]!;
            var message = choice["message"]!;
            var calls = message["tool_calls"]?.AsArray().Select(c => (
                c!["id"]!.GetValue<string>(), c["function"]!["name"]!.GetValue<string>(), c["function"]!["arguments"]!.GetValue<string>())).ToList() ?? [];
            return new ChatOutcome(response.StatusCode, json["provider"]?.GetValue<string>(), message["content"]?.GetValue<string>() ?? "",
                message["reasoning"]?.GetValue<string>() ?? "", calls, choice["finish_reason"]?.GetValue<string>(),
                choice["native_finish_reason"]?.GetValue<string>(), json["usage"], null, false);
        }

        var messages = await SseClient.ReadAllAsync(response);
        var chunks = messages.Chunks();
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var toolCalls = new SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)>();
        string? finish = null, native = null, provider = null;
        JsonNode? usage = null, error = null;
        foreach (var chunk in chunks)
        {
            provider ??= chunk["provider"]?.GetValue<string>();
            usage = chunk["usage"] ?? usage;
            error = chunk["error"] ?? error;
            foreach (var choice in chunk["choices"]?.AsArray() ?? [])
            {
                var delta = choice!["delta"];
                text.Append(delta?["content"]?.GetValue<string>());
                reasoning.Append(delta?["reasoning"]?.GetValue<string>());
                foreach (var call in delta?["tool_calls"]?.AsArray() ?? [])
                {
                    var index = call!["index"]!.GetValue<int>();
                    if (!toolCalls.TryGetValue(index, out var entry))
                    {
                        entry = (call["id"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>(), new StringBuilder());
                        toolCalls[index] = entry;
                    }
                    entry.Arguments.Append(call["function"]?["arguments"]?.GetValue<string>());
                }
                finish = choice["finish_reason"]?.GetValue<string>() ?? finish;
                native = choice["native_finish_reason"]?.GetValue<string>() ?? native;
            }
        }
        return new ChatOutcome(response.StatusCode, provider, text.ToString(), reasoning.ToString(),
            [.. toolCalls.Values.Select(c => (c.Id, c.Name, c.Arguments.ToString()))], finish, native, usage, error,
            messages.Count > 0 && messages[^1].IsDone);
    }
}
