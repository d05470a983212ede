namespace Switchboard.Tests.Providers.Anthropic;

/// <summary>
/// Real Anthropic API traffic recorded in Anthropic's own SDK test fixtures, copied verbatim.
/// </summary>
internal static class AnthropicFixtures
{
    /// <summary>anthropics/anthropic-sdk-typescript @ 9fe4a9af43b729d30208bb804192c27b63e4ad5c, tests/lib/fixtures/tool_use_response.txt</summary>
    public const string ToolUseStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_019Q1hrJbZG26Fb9BQhrkHEr","type":"message","role":"assistant","model":"claude-opus-4-8","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":377,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"'ll check the current weather in Paris for you."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"locati"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"on\": \"P"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ar"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"is\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":65}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    /// <summary>anthropics/anthropic-sdk-python @ 3882829a23753e64872d0696caf4a4c59d77e4a6, tests/lib/streaming/fixtures/basic_response.txt</summary>
    public const string BasicStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK","type":"message","role":"assistant","content":[],"model":"claude-3-opus-latest","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}

        event: message_stop
        data: {"type":"message_stop"}
        """;

    /// <summary>anthropics/anthropic-sdk-python @ 2cd213f450e31229f583dc94faeb07bb82154e90, tests/lib/streaming/fixtures/refusal_response.txt</summary>
    public const string RefusalStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01RefusalTestMessage123456789","type":"message","role":"assistant","content":[],"model":"claude-opus-4-7","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null,"stop_details":{"type":"refusal","category":"cyber","explanation":"This request was refused due to policy."}},"usage":{"output_tokens":120,"output_tokens_details":{"thinking_tokens":67}}}

        event: message_stop
        data: {"type":"message_stop"}

        """;

    /// <summary>
    /// anthropics/anthropic-sdk-python @ 1eaae19fbcf443678966831f7a78ce08e3672243,
    /// tests/lib/_parse/__inline_snapshot__/test_messages/TestSyncParse/bd7029d5-d8d4-4e06-be3a-2ac9c60803a6.json (response body):
    /// a structured-output answer from claude-sonnet-4-5.
    /// </summary>
    public const string StructuredOutputMessage = """
        {"model":"claude-sonnet-4-5-20250929","id":"msg_01T4jd6NyD9xGGtTPDC4ogy5","type":"message","role":"assistant",
         "content":[{"type":"text","text":"{\"items\":[{\"product_name\":\"Green Tea\",\"price\":5.50,\"quantity\":2},{\"product_name\":\"Coffee\",\"price\":3.00,\"quantity\":1}],\"total\":14.0}"}],
         "stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":406,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":50,"service_tier":"standard","inference_geo":"not_available"}}
        """;
}
