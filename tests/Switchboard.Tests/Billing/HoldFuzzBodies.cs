using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.Tests.Billing;

/// <summary>
/// Chat bodies around every field that feeds the credit hold, drawn from a seed so a failure replays: content as a
/// string or as parts (text in many scripts and sizes, strings that only look like data URLs, images by data URL,
/// by https URL and in OpenRouter's string form, audio, PDFs of several pages, text files, files by id), the output
/// limits (<c>max_tokens</c>, <c>max_completion_tokens</c>, both in either order, repeated keys, nulls), <c>n</c>
/// (repeated too), tools and JSON output, reasoning in each spelling, predictions, streaming, and upstream
/// behaviour (long answers, tool calls, streams cut mid-way). Every body is a valid request; the simulator answers
/// honestly, as a provider would, so none of them may ever be charged beyond its hold.
/// </summary>
internal static class HoldFuzzBodies
{
    /// <summary>test/tri's providers: OpenAI-compatible (verbatim), Anthropic and Gemini (translated).</summary>
    public static readonly string[] Providers = ["alpha", "claude", "gem"];

    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    public static string Body(Random random, bool allowStream = true)
    {
        var provider = Providers[random.Next(Providers.Length)];
        var stream = allowStream && random.Next(2) == 0;
        var script = Script(random, stream, out var withTools);
        var messages = new JsonArray();
        if (random.Next(4) == 0)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = Text(random) });
        }
        var marker = $" <simulator>{script.ToJsonString()}</simulator>";
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = random.Next(2) == 0 ? Text(random) + marker : Parts(random, provider, marker) });

        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["messages"] = messages,
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
        };
        if (withTools)
        {
            body["tools"] = JsonNode.Parse("""[{"type":"function","function":{"name":"lookup","description":"Looks a word up","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}]""");
        }
        else if (provider != "claude" && random.Next(6) == 0)
        {
            // Claude answers JSON through a forced tool, which a scripted text answer would not call.
            body["response_format"] = new JsonObject { ["type"] = "json_object" };
        }
        switch (random.Next(6))
        {
            case 0:
                body["reasoning"] = new JsonObject { ["effort"] = random.Next(2) == 0 ? "low" : "high" };
                break;
            case 1:
                body["reasoning"] = new JsonObject { ["max_tokens"] = 1024 + random.Next(2048) };
                break;
            case 2:
                body["reasoning_effort"] = "medium";
                break;
        }
        if (provider == "alpha" && random.Next(8) == 0)
        {
            body["prediction"] = new JsonObject { ["type"] = "content", ["content"] = Text(random) };
        }
        if (stream)
        {
            body["stream"] = true;
        }

        // Output limits and n go in as raw text, so keys can repeat and come in any order.
        var json = new StringBuilder(body.ToJsonString());
        json.Length--; // the closing brace
        var extras = new List<string>();
        foreach (var field in new[] { "max_tokens", "max_completion_tokens", "n", "max_tokens", "n" })
        {
            if (random.Next(3) != 0)
            {
                continue;
            }
            extras.Add(field == "n"
                ? $"\"n\":{(random.Next(5) == 0 ? "null" : (1 + random.Next(provider == "claude" ? 1 : 6)).ToString(System.Globalization.CultureInfo.InvariantCulture))}"
                : $"\"{field}\":{Limit(random)}");
        }
        foreach (var extra in extras.OrderBy(_ => random.Next()))
        {
            json.Append(',').Append(extra);
        }
        return json.Append('}').ToString();
    }

    private static string Limit(Random random) => random.Next(8) switch
    {
        0 => "null",
        1 => "1",
        2 => "16000",
        _ => (1 + random.Next(600)).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static JsonObject Script(Random random, bool stream, out bool withTools)
    {
        withTools = random.Next(5) == 0;
        var script = new JsonObject();
        if (withTools && random.Next(2) == 0)
        {
            script["tool_calls"] = new JsonArray(new JsonObject { ["name"] = "lookup", ["arguments"] = new JsonObject { ["q"] = new string('q', random.Next(2000)) }.ToJsonString() });
        }
        else if (random.Next(3) == 0)
        {
            script["content"] = Text(random);
        }
        else
        {
            script["tokens"] = 1 + random.Next(400);
        }
        if (random.Next(4) == 0)
        {
            script["reasoning"] = string.Join(' ', Enumerable.Repeat("think", 1 + random.Next(200)));
        }
        if (stream && random.Next(4) == 0)
        {
            script["reset_after_events"] = 1 + random.Next(10); // the connection drops mid-stream: charged for what was delivered
        }
        return script;
    }

    private static JsonArray Parts(Random random, string provider, string marker)
    {
        var parts = new JsonArray();
        var count = 1 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            parts.Add(random.Next(provider == "alpha" ? 7 : 5) switch
            {
                0 => new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = $"data:image/png;base64,{Png}", ["detail"] = "high" } },
                1 => new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = "https://example.com/cat.png" } },
                2 => new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["filename"] = "doc.pdf", ["file_data"] = $"data:application/pdf;base64,{Pdf(1 + random.Next(12))}" } },
                5 => new JsonObject { ["type"] = "input_audio", ["input_audio"] = new JsonObject { ["data"] = Convert.ToBase64String(Bytes(random, random.Next(20_000))), ["format"] = "wav" } },
                6 => new JsonObject { ["type"] = "image_url", ["image_url"] = $"data:image/png;base64,{Png}" },
                _ => new JsonObject { ["type"] = "text", ["text"] = Text(random) },
            });
        }
        parts.Add(new JsonObject { ["type"] = "text", ["text"] = $"Answer.{marker}" });
        return parts;
    }

    /// <summary>Text whose bytes and tokens relate differently: prose, CJK, emoji, digits, one long run, and strings that only look like data URLs.</summary>
    private static string Text(Random random) => random.Next(8) switch
    {
        0 => "Count to five.",
        1 => string.Concat(Enumerable.Repeat("中文字符测试", 1 + random.Next(300))),
        2 => string.Concat(Enumerable.Repeat("🙂👍🏽", 1 + random.Next(300))),
        3 => string.Concat(Enumerable.Range(0, 1 + random.Next(2000)).Select(i => (i * 7919 % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture))),
        4 => "data:" + new string('a', random.Next(60_000)),
        5 => "data:image/png;base64," + Convert.ToBase64String(Bytes(random, random.Next(30_000))),
        6 => string.Join(' ', Enumerable.Range(0, 1 + random.Next(3000)).Select(i => (char)('a' + i % 26))),
        _ => string.Join(' ', Enumerable.Repeat("the quick brown fox jumps over the lazy dog", 1 + random.Next(400))),
    };

    /// <summary>A minimal PDF whose page tree has <paramref name="pages"/> page objects.</summary>
    public static string Pdf(int pages)
    {
        var pdf = new StringBuilder("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
        pdf.Append($"2 0 obj << /Type /Pages /Kids [{string.Join(' ', Enumerable.Range(3, pages).Select(n => $"{n} 0 R"))}] /Count {pages} >> endobj\n");
        for (var page = 0; page < pages; page++)
        {
            pdf.Append($"{page + 3} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n");
        }
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(pdf.Append("%%EOF\n").ToString()));
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
