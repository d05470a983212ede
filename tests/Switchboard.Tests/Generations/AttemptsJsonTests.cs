using System.Text.Json;
using Switchboard.Api;
using Switchboard.Chat;
using Switchboard.Infrastructure;
using Switchboard.Requests;

namespace Switchboard.Tests.Generations;

/// <summary>
/// Records store their attempts as JSON written by hand on the request path; it must be exactly what the API's
/// serializer writes, since <c>GET /generation</c> reads it back with that serializer.
/// </summary>
public sealed class AttemptsJsonTests
{
    [Fact]
    public void Hand_written_attempts_match_the_serializer_byte_for_byte()
    {
        IReadOnlyList<AttemptSummary> attempts =
        [
            new("Alpha", "test/multi", 503, "error", "Upstream said \"no\" — retry", 12),
            new("Beta", "test/multi", null, "skipped", null),
            new("Gamma", "test/multi", 200, "success", null, 0),
        ];

        Assert.Equal(JsonSerializer.Serialize(attempts, SwitchboardJsonContext.Api.IReadOnlyListAttemptSummary), GenerationRecordFactory.AttemptsJson(attempts));
        Assert.Equal(JsonSerializer.Serialize((IReadOnlyList<AttemptSummary>)[], SwitchboardJsonContext.Api.IReadOnlyListAttemptSummary), GenerationRecordFactory.AttemptsJson([]));
    }
}
