namespace Switchboard.Api;

internal sealed record ErrorEnvelope(ErrorBody Error);

internal sealed record ErrorBody(int Code, string Message, ErrorMetadata? Metadata);
