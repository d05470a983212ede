using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>
/// Turns a valid JSON body into a hostile one, drawing every choice from the <see cref="Random"/> it is given, so a
/// seed replays the same bodies. Tree mutations replace, drop, add, wrap or duplicate values anywhere in the body;
/// what a <see cref="JsonNode"/> cannot hold (lone surrogate escapes, invalid UTF-8, numbers beyond any type, deep
/// nesting, repeated keys) goes in as a placeholder that the raw bytes replace after serialisation. Byte mutations
/// then truncate, flip, insert, or swap the whole body for a pathological one.
/// </summary>
internal sealed class JsonMutator(Random random)
{
    private static readonly JsonSerializerOptions Serialization = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Field names a translation or the parser looks for, so added properties land where they matter.</summary>
    private static readonly string[] FieldNames =
    [
        "model", "models", "messages", "role", "content", "type", "text", "image_url", "url", "input_audio", "data", "format",
        "file", "file_data", "tools", "function", "name", "parameters", "description", "tool_choice", "tool_calls", "id",
        "arguments", "tool_call_id", "reasoning_details", "signature", "index", "response_format", "json_schema", "schema",
        "stop", "temperature", "top_p", "top_k", "max_tokens", "n", "stream", "stream_options", "include_usage", "provider",
        "only", "order", "reasoning", "effort", "cache_control", "user", "key", "password", "limit", "expires_at", "amount",
        "credits", "kind", "thresholds", "webhook_url", "best", "markup", "byok_fee", "store_prompts", "default_model", "x",
    ];

    private readonly List<byte[]> _raw = [];

    /// <summary>What was done, for the failure report.</summary>
    public List<string> Applied { get; } = [];

    public byte[] Mutate(JsonNode seed)
    {
        _raw.Clear();
        Applied.Clear();
        var root = seed.DeepClone();
        var roll = random.Next(100);
        var treeMutations = roll < 55 ? 1 : roll < 80 ? 2 : roll < 92 ? 3 : 0;
        for (var i = 0; i < treeMutations; i++)
        {
            root = MutateTree(root);
        }
        var bytes = Serialize(root);
        roll = random.Next(100);
        return treeMutations == 0 || roll < 12 ? MutateBytes(bytes) : bytes;
    }

    // :: Tree mutations

    private JsonNode MutateTree(JsonNode root)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        switch (random.Next(7))
        {
            case 0 or 1 or 2:
                Applied.Add($"replace {target.GetPath()}");
                return Replace(root, target, Value());
            case 3 when target.Parent is not null:
                Applied.Add($"remove {target.GetPath()}");
                Remove(target);
                return root;
            case 4 when target is JsonObject obj:
                var name = random.Next(4) == 0 ? Placeholder(Encoding.UTF8.GetBytes(Quote(Strange()))) : FieldNames[random.Next(FieldNames.Length)];
                Applied.Add($"add {target.GetPath()}.{name}");
                obj[name] = Value();
                return root;
            case 5 when target is JsonObject duplicated && duplicated.Count > 0:
                // A repeated key: the placeholder name becomes the name of one that is already there.
                var existing = duplicated.ElementAt(random.Next(duplicated.Count)).Key;
                Applied.Add($"duplicate {target.GetPath()}.{existing}");
                duplicated[Placeholder(Encoding.UTF8.GetBytes(Quote(existing)))] = Value();
                return root;
            case 6:
                Applied.Add($"wrap {target.GetPath()}");
                var wrapped = target.DeepClone();
                return Replace(root, target, random.Next(2) == 0 ? new JsonArray(wrapped) : new JsonObject { ["value"] = wrapped });
            default:
                Applied.Add($"replace {target.GetPath()}");
                return Replace(root, target, Value());
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
        {
            return;
        }
        nodes.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Collect(child, nodes);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, nodes);
                }
                break;
        }
    }

    private static JsonNode Replace(JsonNode root, JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case null:
                return value ?? JsonValue.Create("null-root")!;
            case JsonObject parent:
                parent[target.GetPropertyName()] = value;
                return root;
            case JsonArray array:
                array[target.GetElementIndex()] = value;
                return root;
            default:
                return root;
        }
    }

    private static void Remove(JsonNode target)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent.Remove(target.GetPropertyName());
                break;
            case JsonArray array:
                array.RemoveAt(target.GetElementIndex());
                break;
        }
    }

    /// <summary>A value of a type the field probably does not expect, or one that no reader can take.</summary>
    private JsonNode? Value() => random.Next(24) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(-3, 300)),
        3 => JsonValue.Create(-1.5),
        4 => JsonValue.Create(""),
        5 => JsonValue.Create("x"),
        6 => new JsonArray(),
        7 => new JsonArray(5),
        8 => new JsonObject(),
        9 => new JsonObject { ["a"] = 5 },
        10 => new JsonArray(new JsonObject { ["type"] = "text" }, "text", 5),
        11 => JsonValue.Create(new string('a', 1 << random.Next(4, 18))),
        12 => JsonValue.Create(Strange()),
        13 or 14 => Placeholder(Encoding.UTF8.GetBytes(Quote(LoneSurrogate()))),
        15 or 16 => Placeholder(InvalidUtf8String()),
        17 or 18 => Placeholder(Encoding.ASCII.GetBytes(HugeNumber())),
        19 or 20 => Placeholder(Encoding.ASCII.GetBytes(Deep())),
        21 => Placeholder("""{"a":1,"a":"two","a":[3]}"""u8.ToArray()),
        22 => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "f" } },
        _ => JsonValue.Create("\u0000\u001f\"\\ \u2028 🙂"),
    };

    private string Strange() => random.Next(6) switch
    {
        0 => "🙂👍🏽中文",
        1 => "\u0000",
        2 => "${jndi:ldap://x}",
        3 => "<script>alert(1)</script>",
        4 => "%00../../etc/passwd",
        _ => "\t\r\n ",
    };

    /// <summary>The escapes System.Text.Json reads but cannot turn into a string.</summary>
    private string LoneSurrogate() => random.Next(7) switch
    {
        0 => "\\ud800",
        1 => "\\udc00",
        2 => "a\\ud800b",
        3 => "\\ud800\\ud800",
        4 => "\\uDBFF\\u0041",
        5 => "x\\udfff",
        _ => "\\ud83d",
    };

    /// <summary>A string whose bytes are not UTF-8: stray continuation bytes, overlong forms, encoded surrogates, past U+10FFFF, cut short.</summary>
    private byte[] InvalidUtf8String()
    {
        byte[][] sequences = [[0xFF], [0x80], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFE, 0xFF]];
        var bad = sequences[random.Next(sequences.Length)];
        return [(byte)'"', (byte)'a', .. bad, (byte)'b', (byte)'"'];
    }

    private string HugeNumber() => random.Next(9) switch
    {
        0 => "1e400",
        1 => "-1e400",
        2 => "1e-400",
        3 => new string('9', 400),
        4 => "9223372036854775808",
        5 => "79228162514264337593543950336",
        6 => "2147483648",
        7 => "-0.0000000000000000000000000000001",
        _ => "-2147483649",
    };

    /// <summary>Nesting around the parsers' limits (64 by default, 256 for chat), and far beyond them.</summary>
    private string Deep()
    {
        int[] depths = [60, 63, 64, 65, 200, 250, 255, 256, 257, 1000];
        var depth = depths[random.Next(depths.Length)];
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    private static string Quote(string text) => "\"" + text.Replace("\\u", "\u0001", StringComparison.Ordinal)
        .Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\u0001", "\\u", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal)
        .Replace("\0", "\\u0000", StringComparison.Ordinal) + "\"";

    // :: Placeholders: strings the serialised body carries until the raw bytes replace them (with their quotes).

    private string Placeholder(byte[] raw)
    {
        _raw.Add(raw);
        return $"~~raw{_raw.Count - 1}~~";
    }

    private byte[] Serialize(JsonNode root)
    {
        var bytes = Encoding.UTF8.GetBytes(root.ToJsonString(Serialization));
        for (var i = 0; i < _raw.Count; i++)
        {
            var marker = Encoding.UTF8.GetBytes($"\"~~raw{i}~~\"");
            var at = bytes.AsSpan().IndexOf(marker);
            if (at >= 0)
            {
                bytes = [.. bytes.AsSpan(0, at), .. _raw[i], .. bytes.AsSpan(at + marker.Length)];
            }
        }
        return bytes;
    }

    // :: Byte mutations

    private byte[] MutateBytes(byte[] body)
    {
        switch (random.Next(9))
        {
            case 0 or 1:
                var cut = random.Next(body.Length);
                Applied.Add($"truncate at {cut}");
                return body[..cut];
            case 2:
                var flips = body.ToArray();
                for (var i = 0; i < 1 + random.Next(4) && flips.Length > 0; i++)
                {
                    flips[random.Next(flips.Length)] = (byte)random.Next(256);
                }
                Applied.Add("flip bytes");
                return flips;
            case 3:
                var at = random.Next(body.Length + 1);
                Applied.Add($"insert at {at}");
                return [.. body.AsSpan(0, at), (byte)random.Next(256), .. body.AsSpan(at)];
            case 4:
                Applied.Add("trailing data");
                return [.. body, .. " {}"u8];
            case 5:
                Applied.Add("byte order mark");
                return [0xEF, 0xBB, 0xBF, .. body];
            default:
                string[] specials = ["", "null", "[]", "{}", "1", "\"x\"", "{", "}", "{\"a\":}", "[{}]", "\u0000", "NaN", "{\"a\":NaN}", "{'a':1}", "{\"a\":1,}"];
                var special = specials[random.Next(specials.Length)];
                Applied.Add($"body {JsonSerializer.Serialize(special)}");
                return Encoding.UTF8.GetBytes(special);
        }
    }

    public static string Describe(byte[] body)
    {
        var text = new StringBuilder();
        foreach (var rune in Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 2048))).EnumerateRunes())
        {
            text.Append(rune.Value == 0xFFFD || rune.Value < 0x20 ? $"\\x{rune.Value:x2}" : rune.ToString());
        }
        if (body.Length > 2048)
        {
            text.Append(CultureInfo.InvariantCulture, $"… ({body.Length} bytes; base64 of all: {Convert.ToBase64String(body)})");
        }
        return text.ToString();
    }
}
