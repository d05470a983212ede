namespace Switchboard.Requests;

/// <summary>
/// The account's settings that shape a request: the model used when it names none (OpenRouter's "account default"),
/// and whether providers that retain or train on prompts are excluded, as if it said <c>data_collection: "deny"</c>.
/// </summary>
internal readonly record struct RequestDefaults(string? Model, bool ExcludeDataCollectingProviders)
{
    public static readonly RequestDefaults None;
}
