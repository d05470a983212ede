using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Requests;

namespace Switchboard.Providers.OpenAICompatible;

/// <summary>
/// Builds the upstream body by splicing the client's bytes: every top-level property is copied verbatim except
/// the gateway's own fields, <c>model</c> is swapped for the provider's model name, and streams ask for usage.
/// No DOM, no re-serialisation: tools, images, response formats and fields not invented yet arrive unchanged.
/// </summary>
internal static class OpenAIRequestWriter
{
    /// <summary>OpenRouter's routing and accounting fields; OpenAI-compatible hosts would reject or ignore them.</summary>
    public static readonly FrozenSet<string> GatewayFields = FrozenSet.Create(StringComparer.Ordinal,
        "model", "models", "provider", "route", "transforms", "usage", "plugins", "reasoning", "include_reasoning",
        "session_id", "trace", "debug");

    public static PooledBufferWriter Write(ChatRequest request, JsonEncodedText upstreamModel)
    {
        var output = new PooledBufferWriter(request.Body.Length + upstreamModel.EncodedUtf8Bytes.Length + 96);
        output.Write("{"u8);
        var first = true;
        var hasReasoningEffort = false;
        foreach (var property in request.Properties.Span)
        {
            if (GatewayFields.Contains(property.Name) || (request.Stream && property.Name == "stream_options"))
            {
                continue;
            }
            hasReasoningEffort |= property.Name == "reasoning_effort";
            Separator(output, ref first);
            output.Write(request.PropertyBytes(property));
        }

        Separator(output, ref first);
        output.Write("\"model\":\""u8);
        output.Write(upstreamModel.EncodedUtf8Bytes);
        output.Write("\""u8);

        if (request.Stream)
        {
            // Ask for the usage chunk whether or not the client did: it is what the generation is counted from.
            output.Write(",\"stream_options\":{"u8);
            foreach (var property in request.StreamOptionsOther.Span)
            {
                output.Write(request.PropertyBytes(property));
                output.Write(","u8);
            }
            output.Write("\"include_usage\":true}"u8);
        }

        if (request.ReasoningEffort is { } effort && !hasReasoningEffort)
        {
            output.Write(",\"reasoning_effort\":\""u8);
            output.Write(JsonEncodedText.Encode(effort).EncodedUtf8Bytes);
            output.Write("\""u8);
        }
        output.Write("}"u8);
        return output;
    }

    private static void Separator(PooledBufferWriter output, ref bool first)
    {
        if (!first)
        {
            output.Write(","u8);
        }
        first = false;
    }
}
