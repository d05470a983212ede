using System.Text.Json;

namespace Switchboard.Catalog.Discovery;

/// <summary>
/// Reads OpenAI's model list, <c>{"object":"list","data":[{"id":…},…]}</c>, from a body the client has already
/// bounded. Whatever the server sends, the answer is a list of at most <see cref="MaxModels"/> distinct, plausible
/// names or a reason; entries of the wrong shape are skipped, never thrown on.
/// </summary>
internal static class ModelListParser
{
    /// <summary>Models taken from one provider; the rest of a longer list is ignored (and said so in the log).</summary>
    public const int MaxModels = 1_000;

    /// <summary>Longest upstream name taken; a longer one is skipped.</summary>
    public const int MaxUpstreamIdLength = 256;

    private const int MaxContextLength = 100_000_000;

    /// <summary>Parses <paramref name="body"/>; on failure returns null and says why in <paramref name="problem"/>.</summary>
    public static List<DiscoveredModel>? Parse(ReadOnlyMemory<byte> body, out string? problem, out int skipped)
    {
        skipped = 0;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            problem = "the answer is not JSON";
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Array)
            {
                problem = "the answer has no 'data' array";
                return null;
            }
            problem = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var models = new List<DiscoveredModel>();
            foreach (var entry in data.EnumerateArray())
            {
                if (models.Count == MaxModels)
                {
                    skipped++;
                    continue;
                }
                if (Id(entry) is not { } id || !IsPlausible(id) || !seen.Add(id))
                {
                    skipped++;
                    continue;
                }
                models.Add(new DiscoveredModel(id, ContextLength(entry)));
            }
            models.Sort(static (a, b) => string.CompareOrdinal(a.UpstreamId, b.UpstreamId));
            return models;
        }
    }

    private static string? Id(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        try
        {
            return id.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") parses as JSON but is no string.
            return null;
        }
    }

    /// <summary>Non-empty, not too long, no control characters or surrounding blanks: a name a server would accept back.</summary>
    private static bool IsPlausible(string id)
    {
        if (id.Length is 0 or > MaxUpstreamIdLength || char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]))
        {
            return false;
        }
        for (var i = 0; i < id.Length; i++)
        {
            if (char.IsControl(id[i]))
            {
                return false;
            }
            if (char.IsSurrogate(id[i]))
            {
                // A lone surrogate would not survive a round trip through UTF-8.
                if (!char.IsSurrogatePair(id, i))
                {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /// <summary>
    /// The context length where the server gives one: vLLM's <c>max_model_len</c>, llama.cpp's <c>meta.n_ctx_train</c>
    /// (or <c>n_ctx</c>), or a <c>context_length</c> as OpenRouter-style servers write it. Ollama's list gives none.
    /// </summary>
    private static int? ContextLength(JsonElement entry) =>
        Positive(entry, "max_model_len")
        ?? Positive(entry, "context_length")
        ?? (entry.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
            ? Positive(meta, "n_ctx_train") ?? Positive(meta, "n_ctx")
            : null);

    private static int? Positive(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
        && value.TryGetInt32(out var n) && n is > 0 and <= MaxContextLength
            ? n
            : null;
}
