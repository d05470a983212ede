using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Chat;

internal enum AttemptResult
{
    /// <summary>
    /// The response was sent. A stream that broke after content reached the client is delivered too (it ended with
    /// an error chunk and cannot be retried); <see cref="AttemptOutcome.Failure"/> then says what broke.
    /// </summary>
    Delivered,

    /// <summary>Nothing reached the client; <see cref="AttemptOutcome.Failure"/> says why.</summary>
    Failed,

    /// <summary>The client disconnected; the upstream request has been cancelled.</summary>
    ClientGone,
}

internal readonly record struct AttemptOutcome(AttemptResult Result, UpstreamFailure? Failure = null)
{
    public static readonly AttemptOutcome Delivered = new(AttemptResult.Delivered);
    public static readonly AttemptOutcome ClientGone = new(AttemptResult.ClientGone);

    public static AttemptOutcome Failed(UpstreamFailure failure) => new(AttemptResult.Failed, failure);

    public static AttemptOutcome BrokeAfterContent(UpstreamFailure failure) => new(AttemptResult.Delivered, failure);
}
