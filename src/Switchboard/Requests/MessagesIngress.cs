namespace Switchboard.Requests;

/// <summary>
/// What a request to the Messages API brings beyond the gateway's internal form (the chat request it was translated
/// to): the client's own body and beta flags, which a Claude endpoint receives as sent (see
/// <c>Providers/IMessagesPassthrough</c>).
/// </summary>
internal sealed record MessagesIngress(ReadOnlyMemory<byte> Body, string? Beta);
