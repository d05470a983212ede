namespace Switchboard.Alerts;

/// <summary>
/// Why a post did not deliver. <see cref="Message"/> is stored on the alert and shown to the account, so it says
/// only what kind of failure it was: an address, a port, an exact status or an exception's text would turn
/// retried deliveries into a scanner of whatever the gateway can reach. <see cref="Detail"/> is for the operator's
/// log.
/// </summary>
internal sealed record WebhookFailure(string Message, string Detail);
