using System.Text.Json;
using Switchboard.Api;
using Switchboard.Routing;

namespace Switchboard.Requests;

/// <summary>
/// The request's <c>plugins: [{"id": "auto-router", …}]</c> entry: which models <c>openrouter/auto</c> may choose
/// (<c>allowed_models</c>, <c>excluded_models</c>, patterns where <c>*</c> stands for any run of characters) and
/// the <c>cost_tier</c> that overrides the operator's preference.
/// </summary>
internal sealed record AutoRouterPlugin(IReadOnlyList<string> Allowed, IReadOnlyList<string> Excluded, AutoPreference? Preference)
{
    /// <summary>Most patterns one list may hold; each is matched against every candidate.</summary>
    public const int MaxPatterns = 100;

    /// <summary>Longest pattern: model ids are far shorter.</summary>
    public const int MaxPatternLength = 200;

    /// <summary>
    /// Positioned on the value of <c>plugins</c>; leaves the reader on its last token. Other plugins, and a
    /// <c>plugins</c> that is not an array of objects, are left alone as before (the gateway runs none of them);
    /// only the first <c>auto-router</c> entry is read, and its fields are checked.
    /// </summary>
    public static ApiError? Read(ref Utf8JsonReader reader, out AutoRouterPlugin? plugin)
    {
        plugin = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (plugin is null && reader.TokenType == JsonTokenType.StartObject && IsAutoRouter(reader))
            {
                if (ReadEntry(ref reader, $"plugins[{index}]", out plugin) is { } problem)
                {
                    return problem;
                }
            }
            else
            {
                reader.Skip();
            }
            index++;
        }
        return null;
    }

    /// <summary>Looks ahead (on a copy of the reader) for <c>"id": "auto-router"</c>.</summary>
    private static bool IsAutoRouter(Utf8JsonReader lookahead)
    {
        var depth = lookahead.CurrentDepth;
        while (lookahead.Read() && lookahead.CurrentDepth > depth)
        {
            if (lookahead.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }
            var isId = lookahead.ValueTextEquals("id"u8);
            lookahead.Read();
            if (isId && lookahead.TokenType == JsonTokenType.String && lookahead.ValueTextEquals("auto-router"u8))
            {
                return true;
            }
            lookahead.Skip();
        }
        return false;
    }

    private static ApiError? ReadEntry(ref Utf8JsonReader reader, string path, out AutoRouterPlugin? plugin)
    {
        plugin = null;
        IReadOnlyList<string> allowed = [];
        IReadOnlyList<string> excluded = [];
        AutoPreference? preference = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            ApiError? problem = null;
            switch (name)
            {
                case "allowed_models":
                    problem = ReadPatterns(ref reader, $"{path}.allowed_models", out allowed);
                    break;
                case "excluded_models":
                    problem = ReadPatterns(ref reader, $"{path}.excluded_models", out excluded);
                    break;
                case "cost_tier":
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        break;
                    }
                    if (reader.TokenType != JsonTokenType.String
                        || AutoPreferences.FromCostTier(reader.GetString()!) is not { } tier)
                    {
                        problem = ApiError.BadRequest(
                            $"'{path}.cost_tier' must be \"low\", \"medium\", \"high\", \"xhigh\" or \"max\".", $"{path}.cost_tier");
                        break;
                    }
                    preference = tier;
                    break;
                default:
                    reader.Skip();
                    break;
            }
            if (problem is not null)
            {
                return problem;
            }
        }
        plugin = new AutoRouterPlugin(allowed, excluded, preference);
        return null;
    }

    private static ApiError? ReadPatterns(ref Utf8JsonReader reader, string path, out IReadOnlyList<string> patterns)
    {
        patterns = [];
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return JsonShape.Wrong(path, "an array of model ids or patterns such as \"anthropic/*\"", reader.TokenType);
        }
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return JsonShape.Wrong($"{path}[{list.Count}]", "a model id or pattern such as \"anthropic/*\"", reader.TokenType);
            }
            if (list.Count == MaxPatterns)
            {
                return ApiError.BadRequest($"'{path}' may hold at most {MaxPatterns} patterns.", path);
            }
            // Checked on the raw length first, so a huge string is refused without being decoded.
            if (reader.ValueSpan.Length > MaxPatternLength * 6 || reader.GetString() is not { Length: > 0 and <= MaxPatternLength } pattern)
            {
                return ApiError.BadRequest($"'{path}[{list.Count}]' must be 1 to {MaxPatternLength} characters.", $"{path}[{list.Count}]");
            }
            list.Add(pattern);
        }
        patterns = list;
        return null;
    }
}
