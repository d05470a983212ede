namespace Switchboard.Simulator.Streaming;

/// <summary>How one protocol frames its stream and its scripted stream faults.</summary>
/// <param name="ContentType">The <c>Content-Type</c> the real API sends.</param>
/// <param name="CrLf">Whether lines end with CRLF instead of LF.</param>
/// <param name="ErrorEvent">Sent for <c>error_event_after</c>.</param>
/// <param name="MalformedEvent">Sent for <c>malformed_after_events</c>: a truncated JSON payload.</param>
internal sealed record SseDialect(string ContentType, bool CrLf, SseEventBytes ErrorEvent, SseEventBytes MalformedEvent);

/// <summary>A literal event; <paramref name="Name"/> is empty for protocols without <c>event:</c> lines.</summary>
internal sealed record SseEventBytes(byte[] Name, byte[] Data);
