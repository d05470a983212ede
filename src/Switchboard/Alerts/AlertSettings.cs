using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Alerts;

/// <summary>
/// An account's alert settings as <c>PUT /web/alerts/settings</c> takes them: <c>{"thresholds": [50, 80, 100],
/// "webhook_url": "https://…" | null}</c>. Both fields are required, since a PUT replaces the settings.
/// </summary>
internal sealed record AlertSettings(int[] Thresholds, string? WebhookUrl)
{
    private const string ThresholdsRule =
        "'thresholds' must list 1 to 10 different whole percentages from 1 to 100, e.g. [50, 80, 100].";

    public static async Task<(AlertSettings? Settings, ApiError? Error)> ReadAsync(HttpRequest request)
    {
        var (body, error) = await JsonRequestBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return (null, error);
        }
        if (ReadThresholds(body, out var thresholds) is { } invalidThresholds)
        {
            return (null, invalidThresholds);
        }
        if (ReadWebhookUrl(body, out var url) is { } invalidUrl)
        {
            return (null, invalidUrl);
        }
        return (new AlertSettings(thresholds, url), null);
    }

    private static ApiError? ReadThresholds(JsonElement body, out int[] thresholds)
    {
        thresholds = [];
        if (!body.TryGetProperty("thresholds", out var list) || list.ValueKind != JsonValueKind.Array
            || list.GetArrayLength() is < 1 or > AlertThresholds.MaxCount)
        {
            return ApiError.BadRequest(ThresholdsRule, "thresholds");
        }
        var values = new List<int>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var value) || value is < 1 or > 100)
            {
                return ApiError.BadRequest($"{ThresholdsRule} {item.GetRawText()} is not one.", "thresholds");
            }
            if (values.Contains(value))
            {
                return ApiError.BadRequest($"{ThresholdsRule} {value} is listed twice.", "thresholds");
            }
            values.Add(value);
        }
        thresholds = [.. values.Order()];
        return null;
    }

    private static ApiError? ReadWebhookUrl(JsonElement body, out string? url)
    {
        url = null;
        var rule = $"'webhook_url' must be an absolute http or https URL of at most {WebhookAddress.MaxLength} characters, or null for none.";
        if (!body.TryGetProperty("webhook_url", out var value))
        {
            return ApiError.BadRequest(rule, "webhook_url");
        }
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (text is null || !WebhookAddress.IsValid(text))
        {
            return ApiError.BadRequest(rule, "webhook_url");
        }
        url = text;
        return null;
    }
}
