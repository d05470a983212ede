using System.Text;
using Switchboard.Billing;
using Switchboard.Chat;
using Switchboard.Requests;

namespace Switchboard.Tests.Billing;

/// <summary>
/// The pieces of the hold and the cap, one at a time: output limits and <c>n</c> as the parser reads them from any
/// spelling, the charge that stops at the hold, and the audit that names what is broken.
/// </summary>
public sealed class HoldArithmeticTests
{
    [Theory]
    [InlineData("""{"max_tokens":1,"max_completion_tokens":16000}""", 16000, 16000)]
    [InlineData("""{"max_completion_tokens":16000,"max_tokens":1}""", 16000, 16000)]
    [InlineData("""{"max_completion_tokens":1,"max_tokens":16000}""", 16000, 1)]
    [InlineData("""{"max_tokens":16000,"max_tokens":5}""", 16000, 5)]
    [InlineData("""{"max_tokens":null,"max_completion_tokens":7}""", 7, 7)]
    [InlineData("""{"m\u0061x_tokens":900}""", 900, 900)]
    [InlineData("""{}""", null, null)]
    public void Output_limits_are_read_from_every_field_and_occurrence(string fields, int? largest, int? sent)
    {
        var request = Parse(fields);

        Assert.Equal(largest, request.LargestOutputLimit);
        Assert.Equal(sent, request.MaxTokens);
    }

    [Theory]
    [InlineData("""{"n":3}""", 3)]
    [InlineData("""{"n":3,"n":1}""", 3)]
    [InlineData("""{"n":null}""", 1)]
    [InlineData("""{}""", 1)]
    public void Choices_are_the_largest_n_given(string fields, int choices) => Assert.Equal(choices, Parse(fields).Choices);

    [Theory]
    [InlineData("""{"n":0}""")]
    [InlineData("""{"n":129}""")]
    [InlineData("""{"n":2.5}""")]
    [InlineData("""{"n":"2"}""")]
    [InlineData("""{"n":1e9}""")]
    public void An_n_no_provider_would_read_the_same_way_is_refused(string fields)
    {
        Assert.False(ChatRequestParser.TryParse(Body(fields), out _, out var error));
        Assert.Equal(400, error!.Status);
        Assert.Contains("'n'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasoning_is_read_as_the_translations_read_it_the_last_occurrence_winning()
    {
        var request = Parse("""{"reasoning":{"max_tokens":100},"reasoning":{"effort":"high","max_tokens":5000,"max_tokens":2048}}""");

        Assert.True(request.Reasoning.Enabled);
        Assert.Equal("high", request.Reasoning.Effort);
        Assert.Equal(2048, request.Reasoning.MaxTokens);
    }

    [Fact]
    public void The_prediction_joins_the_output_allowance()
    {
        var request = Parse("""{"prediction":{"type":"content","content":"0123456789"}}""");

        Assert.Equal("""{"type":"content","content":"0123456789"}""".Length, request.PredictionBytes);
    }

    [Fact]
    public void A_charge_stops_at_the_hold_and_the_rest_is_uncollected()
    {
        var cost = new GenerationCost(PromptCost: 0.3m, CompletionCost: 0.9m, RequestCost: 0m, Charge: 1.2m, IsByok: false);

        var capped = GenerationCharge.Within(cost, new CreditHold(AccountAmount: 1m, KeyAmount: 1m), includeByokInLimit: false);
        var within = GenerationCharge.Within(cost, new CreditHold(AccountAmount: 2m, KeyAmount: 2m), includeByokInLimit: false);

        Assert.Equal(new GenerationCharge(1m, 1m, 0m, 0.2m), capped);
        Assert.Equal(new GenerationCharge(1.2m, 1.2m, 0m, 0m), within);
    }

    [Fact]
    public void The_audit_names_every_broken_invariant_and_only_then_is_unbalanced()
    {
        var clean = AccountAudit.Check(1, balance: 5m, ledgerSum: 5m, reserved: 1m, leased: 1m, staleLeases: 0, uncollected: 0m, lowest: 0m, open: 0);
        var broken = AccountAudit.Check(2, balance: 5m, ledgerSum: 6m, reserved: -1m, leased: 2m, staleLeases: 1, uncollected: 0.5m, lowest: -0.25m, open: 0);
        var key = KeyAudit.Check(3, 2, limit: 1m, periodUsage: 1.5m, reserved: 0m, leased: 0m, staleLeases: 0);

        Assert.True(clean.Balanced);
        Assert.False(broken.Balanced);
        Assert.Equal(6, broken.Problems.Count); // ledger, leases, negative reserved, stale leases, uncollected, overdraft
        Assert.False(key.Balanced);
        Assert.Contains("above its limit", key.Problems.Single(), StringComparison.Ordinal);
    }

    private static ChatRequest Parse(string fields)
    {
        Assert.True(ChatRequestParser.TryParse(Body(fields), out var request, out var error), error?.Message);
        return request!;
    }

    private static ReadOnlyMemory<byte> Body(string fields)
    {
        var json = fields.Length == 2 ? "{" : fields[..^1] + ",";
        return Encoding.UTF8.GetBytes(json + "\"model\":\"test/tri\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }
}
