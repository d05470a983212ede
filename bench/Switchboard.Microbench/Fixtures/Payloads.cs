using System.Text;

namespace Switchboard.Microbench.Fixtures;

/// <summary>
/// Wire bytes shaped like real traffic: an agent-style chat request (system prompt, a short conversation, two
/// tools, sampling parameters and a field the gateway does not know), and OpenAI's responses to it.
/// </summary>
internal static class Payloads
{
    public static readonly byte[] ChatRequest = Encoding.UTF8.GetBytes("""
        {"model":"bench/chat","messages":[
        {"role":"system","content":"You are a careful assistant for a travel company. Answer briefly, cite the booking reference when there is one, and never invent prices. When a question needs live data, call a tool instead of guessing. Use metric units unless the customer uses imperial ones."},
        {"role":"user","content":"Hi! I booked a trip to Lisbon for next month (reference TRV-20931) and I want to know what the weather is usually like then, and whether I can add a day trip to Sintra."},
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_8f2kQ1","type":"function","function":{"name":"get_booking","arguments":"{\"reference\":\"TRV-20931\"}"}}]},
        {"role":"tool","tool_call_id":"call_8f2kQ1","content":"{\"reference\":\"TRV-20931\",\"city\":\"Lisbon\",\"from\":\"2026-05-12\",\"to\":\"2026-05-18\",\"travellers\":2,\"extras\":[]}"},
        {"role":"assistant","content":"Your booking TRV-20931 covers Lisbon from 12 to 18 May for two travellers. Mid-May in Lisbon is usually mild and sunny, around 16–24 °C. Would you like me to check Sintra day trips for one of those days?"},
        {"role":"user","content":[{"type":"text","text":"Yes please, the 15th would be ideal. Also, is this photo of the tram stop near our hotel the right one?"},{"type":"image_url","image_url":{"url":"https://example.com/photos/tram-stop-28.jpg","detail":"low"}}]}],
        "tools":[{"type":"function","function":{"name":"get_booking","description":"Look up a booking by its reference.","parameters":{"type":"object","properties":{"reference":{"type":"string","description":"Booking reference such as TRV-12345."}},"required":["reference"],"additionalProperties":false}}},
        {"type":"function","function":{"name":"find_day_trips","description":"List bookable day trips from a city on a date.","parameters":{"type":"object","properties":{"city":{"type":"string"},"date":{"type":"string","format":"date"},"travellers":{"type":"integer","minimum":1}},"required":["city","date"],"additionalProperties":false}}}],
        "tool_choice":"auto","temperature":0.4,"top_p":0.9,"max_tokens":1024,"user":"customer-5521","metadata":{"channel":"web","session":"s-77f1c2"},"reasoning":{"effort":"low"}}
        """);

    /// <summary>The same request, streamed, asking for usage the way OpenAI SDKs do.</summary>
    public static readonly byte[] StreamingChatRequest = WithStream(Encoding.UTF8.GetString(ChatRequest));

    private static byte[] WithStream(string request) =>
        Encoding.UTF8.GetBytes(request[..request.LastIndexOf('}')] + ""","stream":true,"stream_options":{"include_usage":true}}""");

    /// <summary>An OpenAI <c>chat.completion</c> as api.openai.com sends it.</summary>
    public static readonly byte[] Completion = Encoding.UTF8.GetBytes("""
        {
          "id": "chatcmpl-BpX2mQ7wKf3rT9sLd1eYhN0aZc4Vu",
          "object": "chat.completion",
          "created": 1763740800,
          "model": "gpt-4o-mini-2024-07-18",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "On 15 May there are two Sintra day trips with seats for two: a guided coach tour leaving at 09:00 from Marquês de Pombal, and a small-group tour with Pena Palace entry leaving at 08:30. The photo shows the stop for tram 28 at Largo da Graça, which is the one closest to your hotel. Shall I add one of the trips to booking TRV-20931?",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 1236,
            "completion_tokens": 86,
            "total_tokens": 1322,
            "prompt_tokens_details": { "cached_tokens": 1024, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_560af6e559"
        }
        """);

    /// <summary>Tokens of the streamed answer, one per content event, as OpenAI splits them.</summary>
    private static readonly string[] Tokens =
    [
        "On", " 15", " May", " there", " are", " two", " S", "intra", " day", " trips", " with", " seats", " for", " two", ":",
        " a", " guided", " coach", " tour", " leaving", " at", " 09", ":", "00", " from", " Marqu", "ês", " de", " Pombal",
        ",", " and", " a", " small", "-group", " tour", " with", " Pena", " Palace", " entry", " leaving", " at", " 08", ":",
        "30", ".", " Shall", " I", " add", " one", "?",
    ];

    /// <summary>The number of content events in <see cref="OpenAIStream"/>.</summary>
    public static int StreamContentEvents => Tokens.Length;

    /// <summary>
    /// An OpenAI <c>chat.completion.chunk</c> stream: the role chunk, 50 content chunks, the finish chunk, the usage
    /// chunk and <c>[DONE]</c>, each event its own element, as a provider flushes them one token at a time.
    /// </summary>
    public static readonly byte[][] OpenAIStream = BuildOpenAIStream();

    private static byte[][] BuildOpenAIStream()
    {
        const string head = """{"id":"chatcmpl-BpX2mQ7wKf3rT9sLd1eYhN0aZc4Vu","object":"chat.completion.chunk","created":1763740800,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_560af6e559","choices":[""";
        var events = new List<string>
        {
            head + """{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}""",
        };
        foreach (var token in Tokens)
        {
            events.Add(head + $$"""{"index":0,"delta":{"content":"{{token}}"},"logprobs":null,"finish_reason":null}],"usage":null}""");
        }
        events.Add(head + """{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""");
        events.Add(head + """],"usage":{"prompt_tokens":1236,"completion_tokens":50,"total_tokens":1286,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""");
        events.Add("[DONE]");
        return [.. events.Select(e => Encoding.UTF8.GetBytes($"data: {e}\n\n"))];
    }

    /// <summary>Claude's Messages stream for the same answer: message and block framing around 50 text deltas.</summary>
    public static readonly byte[][] AnthropicStream = BuildAnthropicStream();

    private static byte[][] BuildAnthropicStream()
    {
        var events = new List<(string Name, string Data)>
        {
            ("message_start", """{"type":"message_start","message":{"id":"msg_019Q1hrJbZG26Fb9BQhrkHEr","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1236,"cache_creation_input_tokens":0,"cache_read_input_tokens":1024,"output_tokens":1,"service_tier":"standard"}}}"""),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("ping", """{"type": "ping"}"""),
        };
        foreach (var token in Tokens)
        {
            events.Add(("content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"{{{token}}}"}}"""));
        }
        events.Add(("content_block_stop", """{"type":"content_block_stop","index":0}"""));
        events.Add(("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":50}}"""));
        events.Add(("message_stop", """{"type":"message_stop"}"""));
        return [.. events.Select(e => Encoding.UTF8.GetBytes($"event: {e.Name}\ndata: {e.Data}\n\n"))];
    }

    /// <summary>Gemini's <c>alt=sse</c> stream for the same answer: one <c>GenerateContentResponse</c> per token, usage in each.</summary>
    public static readonly byte[][] GeminiStream = BuildGeminiStream();

    private static byte[][] BuildGeminiStream()
    {
        var events = new List<string>();
        for (var i = 0; i < Tokens.Length; i++)
        {
            var finish = i == Tokens.Length - 1 ? ",\"finishReason\": \"STOP\"" : "";
            events.Add($$"""{"candidates": [{"content": {"parts": [{"text": "{{Tokens[i]}}"}],"role": "model"}{{finish}},"index": 0}],"usageMetadata": {"promptTokenCount": 1236,"candidatesTokenCount": {{i + 1}},"totalTokenCount": {{1237 + i}},"promptTokensDetails": [{"modality": "TEXT","tokenCount": 1236}]},"modelVersion": "gemini-2.5-flash","responseId": "cWmNaqOEH9CRkdUP1bWcsQU"}""");
        }
        return [.. events.Select(e => Encoding.UTF8.GetBytes($"data: {e}\r\n\r\n"))];
    }
}
