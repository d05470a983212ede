using Switchboard.Requests;

namespace Switchboard.Chat;

/// <summary>
/// What an attempt does with a completed generation before its last bytes reach the client: settle it and wait
/// for the store to have it (<see cref="GenerationSettlement"/>). A seam only so the attempt benchmarks can measure
/// an attempt without a store.
/// </summary>
internal interface ICompletionCommit
{
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
