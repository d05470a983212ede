using System.Text.Json;
using Switchboard.Api;
using Switchboard.Requests;

namespace Switchboard.Routing;

/// <summary>Reads the request's <c>provider</c> object; each mistake is reported with its path, e.g. <c>provider.sort</c>.</summary>
internal static class ProviderPreferencesParser
{
    public static ApiError? Parse(ref Utf8JsonReader reader, out ProviderPreferences preferences)
    {
        preferences = ProviderPreferences.Default;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Invalid("provider", $"must be an object, not {ChatRequestParser.Describe(reader.TokenType)}");
        }

        // Locals, and one record at the end: a `with` copy per property would allocate a record each.
        IReadOnlyList<string>? order = null, only = null, ignore = null, quantizations = null;
        bool allowFallbacks = true, requireParameters = false, denyDataCollection = false, acrossModels = false;
        ProviderSort? sort = null;
        MaxPrice? maxPrice = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ApiError? problem = null;
            if (reader.ValueTextEquals("order"u8))
            {
                reader.Read();
                problem = ReadStrings(ref reader, "order", out order);
            }
            else if (reader.ValueTextEquals("only"u8))
            {
                reader.Read();
                problem = ReadStrings(ref reader, "only", out only);
            }
            else if (reader.ValueTextEquals("ignore"u8))
            {
                reader.Read();
                problem = ReadStrings(ref reader, "ignore", out ignore);
            }
            else if (reader.ValueTextEquals("quantizations"u8))
            {
                reader.Read();
                problem = ReadStrings(ref reader, "quantizations", out quantizations);
            }
            else if (reader.ValueTextEquals("allow_fallbacks"u8))
            {
                reader.Read();
                problem = ReadBool(ref reader, "allow_fallbacks", out var allow);
                allowFallbacks = allow ?? true;
            }
            else if (reader.ValueTextEquals("require_parameters"u8))
            {
                reader.Read();
                problem = ReadBool(ref reader, "require_parameters", out var require);
                requireParameters = require ?? false;
            }
            else if (reader.ValueTextEquals("zdr"u8))
            {
                reader.Read();
                problem = ReadBool(ref reader, "zdr", out var zdr);
                denyDataCollection |= zdr == true;
            }
            else if (reader.ValueTextEquals("data_collection"u8))
            {
                reader.Read();
                problem = ReadDataCollection(ref reader, out var deny);
                denyDataCollection |= deny;
            }
            else if (reader.ValueTextEquals("sort"u8))
            {
                reader.Read();
                problem = ReadSort(ref reader, out sort, out acrossModels);
            }
            else if (reader.ValueTextEquals("max_price"u8))
            {
                reader.Read();
                problem = ReadMaxPrice(ref reader, out maxPrice);
            }
            else
            {
                // Preferences we do not act on (preferred_min_throughput, enforce_distillable_text, …) are accepted.
                reader.Read();
                reader.Skip();
            }
            if (problem is not null)
            {
                return problem;
            }
        }
        preferences = new ProviderPreferences
        {
            Order = order,
            Only = only,
            Ignore = ignore,
            Quantizations = quantizations,
            AllowFallbacks = allowFallbacks,
            RequireParameters = requireParameters,
            DenyDataCollection = denyDataCollection,
            Sort = sort,
            SortAcrossModels = acrossModels,
            MaxPrice = maxPrice,
        };
        return null;
    }

    private static ApiError? ReadStrings(ref Utf8JsonReader reader, string field, out IReadOnlyList<string>? values)
    {
        values = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Invalid($"provider.{field}", "must be an array of strings");
        }
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return Invalid($"provider.{field}[{list.Count}]", $"must be a string, not {ChatRequestParser.Describe(reader.TokenType)}");
            }
            list.Add(reader.GetString()!);
        }
        values = list;
        return null;
    }

    private static ApiError? ReadBool(ref Utf8JsonReader reader, string field, out bool? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        return value is null && reader.TokenType != JsonTokenType.Null ? Invalid($"provider.{field}", "must be a boolean") : null;
    }

    private static ApiError? ReadDataCollection(ref Utf8JsonReader reader, out bool deny)
    {
        deny = false;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        deny = value == "deny";
        return value is "allow" or "deny" ? null : Invalid("provider.data_collection", "must be \"allow\" or \"deny\"");
    }

    private static ApiError? ReadSort(ref Utf8JsonReader reader, out ProviderSort? sort, out bool acrossModels)
    {
        sort = null;
        acrossModels = false;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return ParseSort(reader.GetString(), "provider.sort", out sort);
            case JsonTokenType.StartObject:
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name == "by")
                    {
                        if (ParseSort(reader.TokenType == JsonTokenType.String ? reader.GetString() : null, "provider.sort.by", out sort) is { } problem)
                        {
                            return problem;
                        }
                    }
                    else if (name == "partition")
                    {
                        var partition = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        if (partition is not ("model" or "none"))
                        {
                            return Invalid("provider.sort.partition", "must be \"model\" or \"none\"");
                        }
                        acrossModels = partition == "none";
                    }
                    reader.Skip();
                }
                return null;
            default:
                return Invalid("provider.sort", "must be \"price\", \"throughput\", \"latency\" or {\"by\":…, \"partition\":…}");
        }
    }

    private static ApiError? ParseSort(string? value, string field, out ProviderSort? sort)
    {
        sort = value switch
        {
            "price" => ProviderSort.Price,
            "throughput" => ProviderSort.Throughput,
            "latency" => ProviderSort.Latency,
            _ => null,
        };
        return sort is null ? Invalid(field, $"must be \"price\", \"throughput\" or \"latency\"{(value is null ? "" : $", not \"{value}\"")}") : null;
    }

    private static ApiError? ReadMaxPrice(ref Utf8JsonReader reader, out MaxPrice? maxPrice)
    {
        maxPrice = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Invalid("provider.max_price", "must be an object of USD-per-million-token ceilings, e.g. {\"prompt\":1,\"completion\":2}");
        }
        decimal? prompt = null, completion = null, request = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            decimal? value = null;
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var number) && number >= 0)
            {
                value = number;
            }
            else if (reader.TokenType == JsonTokenType.String && decimal.TryParse(reader.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var text) && text >= 0)
            {
                value = text;
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                return Invalid($"provider.max_price.{name}", "must be a non-negative number (USD per million tokens)");
            }
            switch (name)
            {
                case "prompt": prompt = value; break;
                case "completion": completion = value; break;
                case "request": request = value; break;
                default: break; // image/audio ceilings do not apply to text endpoints.
            }
        }
        maxPrice = new MaxPrice(prompt, completion, request);
        return null;
    }

    private static ApiError Invalid(string field, string problem) => ApiError.BadRequest($"'{field}' {problem}.", field);
}
