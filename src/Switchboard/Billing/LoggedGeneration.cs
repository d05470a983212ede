using System.Text.Json.Serialization;
using Switchboard.Generations;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>One line of the <see cref="SettlementLog"/>: a <see cref="GenerationEntry"/> as the journal would have written it.</summary>
internal sealed record LoggedGeneration(GenerationRecord Record, LoggedSettlement? Settlement, GenerationContent? Content, bool Unmark)
{
    public static LoggedGeneration From(GenerationEntry entry) =>
        new(entry.Record, entry.Settlement is { } s ? LoggedSettlement.From(s) : null, entry.Content, entry.Unmark);

    public GenerationEntry ToEntry() => new(Record, Settlement?.ToSettlement(), Content, Unmark);
}

/// <summary>
/// A <see cref="SettlementEntry"/> with, of its key, what the journal reads: ids and the limit's reset period (the
/// period the spend counts in) and whether it has a limit.
/// </summary>
internal sealed record LoggedSettlement(
    string GenerationId, long AccountId, long KeyId, decimal? KeyLimit, LimitReset? LimitReset, string LeaseOwner,
    decimal Charge, decimal LimitSpend, decimal ByokSpend, decimal Uncollected, bool FromKeyLease, DateTime SettledAt)
{
    public static LoggedSettlement From(SettlementEntry s) => new(
        s.GenerationId, s.Key.AccountId, s.Key.Id, s.Key.Limit, s.Key.LimitReset, s.LeaseOwner,
        s.Charge, s.LimitSpend, s.ByokSpend, s.Uncollected, s.FromKeyLease, s.SettledAt);

    public SettlementEntry ToSettlement()
    {
        var key = new CallerKey(KeyId, AccountId, Hash: "", Label: "", ApiKeyKind.Inference, Disabled: false, ExpiresAt: null,
            KeyLimit, LimitReset, IncludeByokInLimit: false, IsAdminAccount: false);
        return new SettlementEntry(GenerationId, key, LeaseOwner, Charge, LimitSpend, ByokSpend, Uncollected, FromKeyLease, SettledAt);
    }
}

/// <summary>
/// Exact decimals and round-trip dates; enums by name, so a reordered enum cannot change a logged entry's meaning;
/// nulls left out, for shorter lines.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LoggedGeneration))]
internal sealed partial class SettlementLogJsonContext : JsonSerializerContext;
