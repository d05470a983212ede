using System.Text.Json;
using Switchboard.Providers;

namespace Switchboard.Billing;

/// <summary>
/// The <c>usage</c> object clients get: the provider's counts (every field kept, provider extras included)
/// plus OpenRouter's <c>cost</c>, <c>is_byok</c> and <c>cost_details</c>. An upstream's own cost fields (when
/// the upstream is itself a gateway) are replaced, since the cost that matters is what this gateway charged.
/// </summary>
internal static class PricedUsageJson
{
    /// <summary>Writes the object as the next value of <paramref name="json"/> (after a property name, or as the root).</summary>
    /// <param name="charged">What the account is charged: the cost, unless the hold capped it.</param>
    public static void Write(Utf8JsonWriter json, TokenUsage usage, GenerationCost cost, decimal charged)
    {
        json.WriteStartObject();
        var reader = new Utf8JsonReader(usage.Json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var replaced = reader.ValueTextEquals("cost"u8) || reader.ValueTextEquals("is_byok"u8) || reader.ValueTextEquals("cost_details"u8);
            // Names are copied as the provider wrote them; only an escaped one (never seen in practice) is decoded.
            var (nameStart, nameLength) = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
            var escapedName = reader.ValueIsEscaped && !replaced ? reader.GetString() : null;
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            if (!replaced)
            {
                if (escapedName is not null)
                {
                    json.WritePropertyName(escapedName);
                }
                else
                {
                    json.WritePropertyName(usage.Json.AsSpan(nameStart, nameLength));
                }
                json.WriteRawValue(usage.Json.AsSpan(valueStart, (int)reader.BytesConsumed - valueStart), skipInputValidation: true);
            }
        }
        json.WriteNumber("cost"u8, Money.Normalize(charged));
        json.WriteBoolean("is_byok"u8, cost.IsByok);
        json.WriteStartObject("cost_details"u8);
        if (cost.IsByok)
        {
            json.WriteNumber("upstream_inference_cost"u8, Money.Normalize(cost.ListPrice));
        }
        else
        {
            json.WriteNull("upstream_inference_cost"u8);
        }
        json.WriteNumber("upstream_inference_prompt_cost"u8, Money.Normalize(cost.PromptCost));
        json.WriteNumber("upstream_inference_completions_cost"u8, Money.Normalize(cost.CompletionCost));
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
