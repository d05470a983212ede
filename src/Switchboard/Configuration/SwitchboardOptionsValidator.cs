using Microsoft.Extensions.Options;

namespace Switchboard.Configuration;

/// <summary>Checks the settings that have no catalog to check them against, naming each bad key.</summary>
internal sealed class SwitchboardOptionsValidator : IValidateOptions<SwitchboardOptions>
{
    public ValidateOptionsResult Validate(string? name, SwitchboardOptions options)
    {
        var errors = new List<string>();
        Positive(errors, options.Timeouts.Connect, "Timeouts:Connect");
        Positive(errors, options.Timeouts.StreamingHeaders, "Timeouts:StreamingHeaders");
        Positive(errors, options.Timeouts.NonStreamingResponse, "Timeouts:NonStreamingResponse");
        Positive(errors, options.Timeouts.StreamIdle, "Timeouts:StreamIdle");
        Positive(errors, options.Health.CoolDown, "Health:CoolDown");
        Positive(errors, options.Health.RecentFailureWindow, "Health:RecentFailureWindow");
        if (options.Health.ShareInterval != TimeSpan.Zero
            && (options.Health.ShareInterval < TimeSpan.FromMilliseconds(100) || options.Health.ShareInterval > TimeSpan.FromMinutes(1)))
        {
            errors.Add($"{SwitchboardOptions.Section}:Health:ShareInterval must be 0 (off) or between 100 ms and 1 minute (got {options.Health.ShareInterval}).");
        }
        if (options.Health.FailureThreshold < 1)
        {
            errors.Add($"{SwitchboardOptions.Section}:Health:FailureThreshold must be at least 1 (got {options.Health.FailureThreshold}).");
        }
        var discovery = options.Discovery;
        if (discovery.Interval < TimeSpan.FromSeconds(1) || discovery.Interval > TimeSpan.FromDays(1)
            || discovery.Timeout <= TimeSpan.Zero || discovery.Timeout > discovery.Interval
            || discovery.StartupWait < TimeSpan.Zero || discovery.StartupWait > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{SwitchboardOptions.Section}:Discovery: Interval must be between 1 second and 1 day, Timeout more than 0 and at most "
                + $"the interval, StartupWait between 0 and 1 minute (got {discovery.Interval}, {discovery.Timeout}, {discovery.StartupWait}).");
        }
        if (options.Streaming.KeepAliveInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{SwitchboardOptions.Section}:Streaming:KeepAliveInterval must be at least 10 ms (got {options.Streaming.KeepAliveInterval}).");
        }
        if (options.MaxRequestBodyBytes is < 1024 or > int.MaxValue)
        {
            errors.Add($"{SwitchboardOptions.Section}:MaxRequestBodyBytes must be between 1024 and {int.MaxValue} (got {options.MaxRequestBodyBytes}).");
        }
        if (options.Database.Provider == Data.DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            errors.Add($"{SwitchboardOptions.Section}:Database:ConnectionString is required when {SwitchboardOptions.Section}:Database:Provider is Postgres.");
        }
        if (options.Billing.Markup < 0m || options.Billing.ByokFee < 0m)
        {
            errors.Add($"{SwitchboardOptions.Section}:Billing:Markup and ByokFee must be zero or more (fractions: 0.05 is 5%).");
        }
        BillingProblems(errors, options.Billing, $"{SwitchboardOptions.Section}:Billing");
        if (options.Billing.Durability == Billing.ChargeDurability.Log && options.Database.SqliteFile() is null)
        {
            errors.Add($"{SwitchboardOptions.Section}:Billing:Durability Log needs a SQLite database file: the settlement log must be readable by "
                + "every process that can reclaim this one, and PostgreSQL's replicas run on other machines. Use Commit (the default there).");
        }
        if (options.Shutdown.DrainTimeout < TimeSpan.Zero || options.Shutdown.DrainTimeout > TimeSpan.FromHours(24))
        {
            errors.Add($"{SwitchboardOptions.Section}:Shutdown:DrainTimeout must be between 0 and 24 hours (got {options.Shutdown.DrainTimeout}).");
        }
        if (options.RateLimits.RequestsPerMinute < 0 || options.RateLimits.FreeRequestsPerMinute < 1 || options.RateLimits.FreeRequestsPerDay < 1
            || options.RateLimits.FreeRequestsPerDayUnlocked < 1)
        {
            errors.Add($"{SwitchboardOptions.Section}:RateLimits: RequestsPerMinute must be zero (off) or more; the free-model limits at least 1.");
        }
        if (options.RateLimits.TokensPerMinute < 0)
        {
            errors.Add($"{SwitchboardOptions.Section}:RateLimits:TokensPerMinute must be zero (off) or more (got {options.RateLimits.TokensPerMinute}).");
        }
        if (options.RateLimits.StoreTimeout <= TimeSpan.Zero || options.RateLimits.StoreTimeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{SwitchboardOptions.Section}:RateLimits:StoreTimeout must be more than 0 and at most 30 seconds (got {options.RateLimits.StoreTimeout}).");
        }
        if (options.RateLimits.TokenSyncInterval < TimeSpan.FromMilliseconds(50) || options.RateLimits.TokenSyncInterval > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{SwitchboardOptions.Section}:RateLimits:TokenSyncInterval must be between 50 ms and 30 seconds (got {options.RateLimits.TokenSyncInterval}).");
        }
        if (options.Authentication.FailuresPerMinute < 0 || options.Authentication.TrackedAddresses < 1
            || options.Authentication.KeyCacheSize < 1 || options.Authentication.UnknownKeyCacheSize < 0)
        {
            errors.Add($"{SwitchboardOptions.Section}:Authentication: FailuresPerMinute must be zero (off) or more, TrackedAddresses and KeyCacheSize "
                + $"at least 1, UnknownKeyCacheSize zero (remember none) or more (got {options.Authentication.FailuresPerMinute}, "
                + $"{options.Authentication.TrackedAddresses}, {options.Authentication.KeyCacheSize}, {options.Authentication.UnknownKeyCacheSize}).");
        }
        if (options.Web.OperatorPassword is { Length: < 12 })
        {
            errors.Add($"{SwitchboardOptions.Section}:Web:OperatorPassword must be at least 12 characters (or unset, to sign in with management keys only).");
        }
        if (options.Web.SessionLifetime < TimeSpan.FromMinutes(1))
        {
            errors.Add($"{SwitchboardOptions.Section}:Web:SessionLifetime must be at least a minute.");
        }
        errors.AddRange(options.Alerts.Problems($"{SwitchboardOptions.Section}:Alerts"));
        errors.AddRange(options.Network.Problems($"{SwitchboardOptions.Section}:Network"));
        errors.AddRange(options.DataProtection.Problems($"{SwitchboardOptions.Section}:DataProtection"));
        errors.AddRange(options.AutoRouter.Problems($"{SwitchboardOptions.Section}:AutoRouter"));
        foreach (var (slug, provider) in options.Providers)
        {
            if (provider.MaxConnections is < 1)
            {
                errors.Add($"{SwitchboardOptions.Section}:Providers:{slug}:MaxConnections must be at least 1.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void BillingProblems(List<string> errors, Billing.BillingOptions billing, string section)
    {
        if (billing.InstanceId is not null)
        {
            errors.Add($"{section}:InstanceId was replaced by {section}:InstanceName: each process start now takes a fresh identity of its own, so replicas can no longer share one.");
        }
        if (billing.AbandonedLeaseAfter is not null)
        {
            errors.Add($"{section}:AbandonedLeaseAfter was replaced by {section}:OwnerTimeout: leases are reclaimed when their owner's heartbeat stops, never while it runs.");
        }
        if (string.IsNullOrWhiteSpace(billing.InstanceName) || billing.InstanceName.Length > 100)
        {
            errors.Add($"{section}:InstanceName must be 1 to 100 characters.");
        }
        if (billing.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || billing.OwnerTimeout < 3 * billing.HeartbeatInterval)
        {
            errors.Add($"{section}:HeartbeatInterval must be at least 100 ms and OwnerTimeout at least three heartbeats "
                + $"(got {billing.HeartbeatInterval} and {billing.OwnerTimeout}): a live instance that misses a beat or two must never be taken for dead.");
        }
        if (billing.LeaseSize < 0m || billing.LeaseHolds < 1 || billing.IdleLeaseReturn <= TimeSpan.Zero)
        {
            errors.Add($"{section}: LeaseSize must be zero or more, LeaseHolds at least 1, and IdleLeaseReturn positive.");
        }
        if (billing.LeaseTimeout <= TimeSpan.Zero || billing.ChargeCommitTimeout <= TimeSpan.Zero || billing.JournalCapacity < 1)
        {
            errors.Add($"{section}: LeaseTimeout and ChargeCommitTimeout must be positive and JournalCapacity at least 1.");
        }
        if (billing.JournalInterval <= TimeSpan.Zero || billing.JournalInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{section}:JournalInterval must be positive and at most an hour (got {billing.JournalInterval}).");
        }
        if (billing.Durability is { } durability && !Enum.IsDefined(durability))
        {
            errors.Add($"{section}:Durability must be Log, Commit or None (got {durability}).");
        }
    }

    private static void Positive(List<string> errors, TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{SwitchboardOptions.Section}:{key} must be a positive duration such as 00:00:30 (got {value}).");
        }
    }
}
