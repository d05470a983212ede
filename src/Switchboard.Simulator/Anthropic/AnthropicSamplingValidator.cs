using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>
/// <c>system</c>, <c>stop_sequences</c> and <c>temperature</c>: the fields a gateway most often carries over from
/// OpenAI with the wrong shape or range (OpenAI allows temperature up to 2, Anthropic only up to 1).
/// </summary>
internal static class AnthropicSamplingValidator
{
    public static string? Validate(JsonElement root)
    {
        if (RequestJson.TryGet(root, "system", out var system) && system.ValueKind != JsonValueKind.String)
        {
            if (system.ValueKind != JsonValueKind.Array)
            {
                return "system: Input should be a valid string";
            }

            var index = 0;
            foreach (var block in system.EnumerateArray())
            {
                if (RequestJson.String(block, "type") != "text" || RequestJson.String(block, "text") is null)
                {
                    return $"system.{index}: system blocks must be text blocks with a string 'text'";
                }

                index++;
            }
        }

        if (RequestJson.TryGet(root, "stop_sequences", out var stops)
            && (stops.ValueKind != JsonValueKind.Array
                || stops.EnumerateArray().Any(stop => stop.ValueKind != JsonValueKind.String)))
        {
            return "stop_sequences: Input should be a valid list of strings";
        }

        if (RequestJson.TryGet(root, "temperature", out var temperature))
        {
            if (temperature.ValueKind != JsonValueKind.Number)
            {
                return "temperature: Input should be a valid number";
            }

            var value = temperature.GetDouble();
            if (value is < 0 or > 1)
            {
                return value < 0
                    ? "temperature: Input should be greater than or equal to 0"
                    : "temperature: Input should be less than or equal to 1";
            }
        }

        return null;
    }
}
