using Microsoft.Extensions.Options;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Telemetry;

namespace Switchboard.Tests.Telemetry;

public sealed class TelemetryLabelsTests
{
    [Fact]
    public void Account_labels_are_null_unless_turned_on()
    {
        var labels = new AccountLabels(Options.Create(new TelemetryOptions()));
        Assert.Null(labels.For(42));
    }

    [Fact]
    public void Past_the_cap_every_new_account_shares_other_and_the_first_ones_keep_their_id()
    {
        var labels = new AccountLabels(Options.Create(new TelemetryOptions { AccountLabels = true, MaxAccountLabels = 2 }));
        Assert.Equal("7", labels.For(7));
        Assert.Equal("8", labels.For(8));
        Assert.Equal(AccountLabels.Other, labels.For(9));
        Assert.Equal(AccountLabels.Other, labels.For(10));
        Assert.Equal("7", labels.For(7));
        Assert.Same(labels.For(8), labels.For(8)); // made once, not per request
    }

    [Theory]
    [InlineData(429, "rate_limited")]
    [InlineData(401, "credential_refused")]
    [InlineData(503, "overloaded")]
    [InlineData(529, "overloaded")]
    [InlineData(504, "timeout")]
    [InlineData(500, "server_error")]
    [InlineData(599, "server_error")]
    [InlineData(418, "client_error")]
    public void A_providers_status_becomes_one_of_a_few_reasons(int status, string reason) =>
        Assert.Equal(reason, TelemetryLabels.FailureReason(new UpstreamFailure(FailureKind.HttpStatus, "x", status)));

    [Fact]
    public void Outcomes_name_success_client_closed_and_a_stream_broken_after_content()
    {
        Assert.Equal("success", TelemetryLabels.Outcome(AttemptOutcome.Delivered));
        Assert.Equal("client_closed", TelemetryLabels.Outcome(AttemptOutcome.ClientGone));
        Assert.Equal("broke_after_content", TelemetryLabels.Outcome(AttemptOutcome.BrokeAfterContent(new UpstreamFailure(FailureKind.Connection, "x"))));
        Assert.Equal("connection", TelemetryLabels.Outcome(AttemptOutcome.Failed(new UpstreamFailure(FailureKind.Connection, "x"))));
    }

    [Theory]
    [InlineData(200, "2xx", "200")]
    [InlineData(402, "4xx", "402")]
    [InlineData(499, "4xx", "499")]
    [InlineData(503, "5xx", "503")]
    [InlineData(1000, "other", "other")]
    public void Status_labels_come_from_a_fixed_set(int status, string statusClass, string code)
    {
        Assert.Equal(statusClass, TelemetryLabels.StatusClass(status));
        Assert.Equal(code, TelemetryLabels.StatusCode(status));
    }
}
