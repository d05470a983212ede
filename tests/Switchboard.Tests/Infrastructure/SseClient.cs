using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Switchboard.Tests.Infrastructure;

/// <summary>One SSE message as the client saw it: a data payload or a comment.</summary>
public sealed record SseMessage(string? Data, string? Comment)
{
    public bool IsDone => Data == "[DONE]";

    public JsonObject Json => JsonNode.Parse(Data!)!.AsObject();
}

/// <summary>Reads a gateway stream message by message as it arrives.</summary>
public static class SseClient
{
    public static async IAsyncEnumerable<SseMessage> ReadAsync(HttpResponseMessage response, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    yield return new SseMessage(data, null);
                }
                data = null;
            }
            else if (line.StartsWith(':'))
            {
                yield return new SseMessage(null, line[1..].Trim());
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data = line[5..].TrimStart();
            }
        }
        if (data is not null)
        {
            yield return new SseMessage(data, null);
        }
    }

    public static async Task<List<SseMessage>> ReadAllAsync(HttpResponseMessage response)
    {
        var messages = new List<SseMessage>();
        await foreach (var message in ReadAsync(response))
        {
            messages.Add(message);
        }
        return messages;
    }

    /// <summary>The data chunks (no comments, no [DONE]) as JSON.</summary>
    public static List<JsonObject> Chunks(this IEnumerable<SseMessage> messages) =>
        messages.Where(m => m.Data is not null && !m.IsDone).Select(m => m.Json).ToList();

    public static string Text(this IEnumerable<JsonObject> chunks) =>
        string.Concat(chunks.Select(c => c["choices"]?.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>() ?? ""));
}
