using System.Collections.Concurrent;
using System.Text.Json;

namespace Switchboard.Simulator.OpenAI;

/// <summary>
/// What <c>GET /{provider}/v1/models</c> answers, per provider slug: an empty list unless scripted. Tests change a
/// provider's list between polls (<see cref="Set"/>), or script a broken server (<see cref="SetRaw"/>).
/// </summary>
public sealed class SimulatedModelLists
{
    private static readonly SimulatedModelList Empty = new(200, """{"object":"list","data":[]}"""u8.ToArray(), TimeSpan.Zero);

    private readonly ConcurrentDictionary<string, SimulatedModelList> _lists = new(StringComparer.Ordinal);

    /// <summary>Lists <paramref name="ids"/> in OpenAI's shape (<c>object</c>, <c>created</c>, <c>owned_by</c>).</summary>
    public void Set(string provider, params IEnumerable<string> ids) =>
        _lists[provider] = new SimulatedModelList(200, Write(ids.Select(id => new Entry(id, null))), TimeSpan.Zero);

    /// <summary>Lists models with a context length, written as vLLM does (<c>max_model_len</c>).</summary>
    public void SetWithContext(string provider, params IEnumerable<(string Id, int ContextLength)> models) =>
        _lists[provider] = new SimulatedModelList(200, Write(models.Select(m => new Entry(m.Id, m.ContextLength))), TimeSpan.Zero);

    /// <summary>Answers with exactly <paramref name="body"/> and <paramref name="status"/>, after <paramref name="delay"/>.</summary>
    public void SetRaw(string provider, int status, ReadOnlyMemory<byte> body, TimeSpan delay = default) =>
        _lists[provider] = new SimulatedModelList(status, body, delay);

    /// <summary>Back to the empty list.</summary>
    public void Reset(string provider) => _lists.TryRemove(provider, out _);

    internal SimulatedModelList For(string provider) => _lists.GetValueOrDefault(provider, Empty);

    private sealed record Entry(string Id, int? ContextLength);

    private static byte[] Write(IEnumerable<Entry> entries)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("object"u8, "list");
            json.WriteStartArray("data"u8);
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                json.WriteString("id"u8, entry.Id);
                json.WriteString("object"u8, "model");
                json.WriteNumber("created"u8, 1_767_225_600);
                json.WriteString("owned_by"u8, "simulator");
                if (entry.ContextLength is { } context)
                {
                    json.WriteNumber("max_model_len"u8, context);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }
}

internal sealed record SimulatedModelList(int Status, ReadOnlyMemory<byte> Body, TimeSpan Delay);
