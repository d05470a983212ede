namespace Switchboard.Alerts;

/// <summary>
/// One receiver of an alert. <see cref="Trusted"/>: the operator configured this URL, so it may reach internal
/// hosts; an account's URL goes through <see cref="WebhookHostGuard"/>.
/// </summary>
internal sealed record WebhookTarget(string Name, string Url, bool Trusted);
