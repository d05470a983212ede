using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Switchboard.Accounts;
using Switchboard.Alerts;
using Switchboard.Billing;
using Switchboard.Compare;
using Switchboard.Generations;
using Switchboard.Instances;
using Switchboard.Keys;
using Switchboard.Settings;

namespace Switchboard.Data;

/// <summary>
/// The gateway's store. The model is provider-neutral: decimals for money, UTC <see cref="DateTime"/>s, enums as
/// strings, no provider-specific SQL. Each provider has its own subclass only so its migrations live apart.
/// </summary>
internal abstract class SwitchboardDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();
    public DbSet<CreditLease> Leases => Set<CreditLease>();
    public DbSet<GenerationRecord> Generations => Set<GenerationRecord>();
    public DbSet<CompareVote> CompareVotes => Set<CompareVote>();
    public DbSet<GenerationContent> GenerationContents => Set<GenerationContent>();
    public DbSet<DailyUsage> DailyUsage => Set<DailyUsage>();
    public DbSet<PendingDailyUsage> PendingDailyUsage => Set<PendingDailyUsage>();
    public DbSet<OperatorSettings> OperatorSettings => Set<OperatorSettings>();
    public DbSet<AccountProviderKey> AccountProviderKeys => Set<AccountProviderKey>();
    public DbSet<SpendAlert> SpendAlerts => Set<SpendAlert>();
    public DbSet<GatewayInstance> Instances => Set<GatewayInstance>();
    public DbSet<InFlightGeneration> InFlightGenerations => Set<InFlightGeneration>();
    public DbSet<Web.WebSessionRecord> WebSessions => Set<Web.WebSessionRecord>();
    public DbSet<Health.EndpointHealthRow> EndpointHealth => Set<Health.EndpointHealthRow>();
    public DbSet<Security.DataProtectionKeyRecord> DataProtectionKeys => Set<Security.DataProtectionKeyRecord>();
    public DbSet<RateLimiting.RateWindow> RateWindows => Set<RateLimiting.RateWindow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // SQLite hands DateTimes back without a kind; everything stored is UTC, so say so on the way out.
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<string>().HaveMaxLength(512);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Account>(account =>
        {
            account.ToTable("accounts");
            account.Property(a => a.Name).HasMaxLength(200);
            account.Property(a => a.DefaultModel).HasMaxLength(200);
            account.Property(a => a.AlertThresholds).HasMaxLength(100);
            account.Property(a => a.AlertWebhookUrl).HasMaxLength(1000);
            account.HasIndex(a => a.SettingsUpdatedAt);
        });

        model.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys");
            key.HasIndex(k => k.Hash).IsUnique();
            key.HasIndex(k => k.AccountId);
            key.HasIndex(k => k.UpdatedAt);
            key.Property(k => k.Hash).HasMaxLength(64);
            key.Property(k => k.Kind).HasConversion<string>().HasMaxLength(16);
            key.Property(k => k.LimitReset).HasConversion<string>().HasMaxLength(16);
            // Comma-separated lists (Routing/KeyRuleColumn): 100 patterns of at most 200 characters, and their commas.
            key.Property(k => k.AllowedModels).HasMaxLength(KeyRuleValidation.MaxPatterns * (KeyRuleValidation.MaxPatternLength + 1));
            key.Property(k => k.AllowedProviders).HasMaxLength(KeyRuleValidation.MaxPatterns * (KeyRuleValidation.MaxPatternLength + 1));
            key.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<LedgerEntry>(entry =>
        {
            entry.ToTable("ledger");
            entry.HasIndex(e => new { e.AccountId, e.CreatedAt });
            entry.HasIndex(e => new { e.ApiKeyId, e.CreatedAt });
            entry.HasIndex(e => e.GenerationId);
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
            entry.Property(e => e.GenerationId).HasMaxLength(64);
            entry.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<CreditLease>(lease =>
        {
            lease.ToTable("credit_leases");
            lease.Property(l => l.Id).HasMaxLength(200);
            lease.HasIndex(l => l.Instance);
            lease.HasIndex(l => l.UpdatedAt);
        });

        model.Entity<Health.EndpointHealthRow>(row =>
        {
            row.ToTable("endpoint_health");
            row.HasKey(r => r.Key);
            row.Property(r => r.Instance).HasMaxLength(120);
            row.HasIndex(r => r.ChangedAt);
        });

        model.Entity<GatewayInstance>(instance =>
        {
            instance.ToTable("gateway_instances");
            instance.Property(i => i.Id).HasMaxLength(120);
            instance.Property(i => i.Name).HasMaxLength(100);
        });

        model.Entity<InFlightGeneration>(generation =>
        {
            generation.ToTable("generations_in_flight");
            generation.Property(g => g.Id).HasMaxLength(64);
            generation.Property(g => g.Instance).HasMaxLength(120);
            generation.Property(g => g.RequestedModel).HasMaxLength(200);
            generation.Property(g => g.Api).HasMaxLength(GenerationApi.MaxLength);
            generation.HasIndex(g => g.Instance);
        });

        model.Entity<GenerationRecord>(generation =>
        {
            generation.ToTable("generations");
            generation.Property(g => g.Id).HasMaxLength(64);
            generation.Property(g => g.Attempts).HasMaxLength(8000);
            generation.Property(g => g.ErrorMessage).HasMaxLength(1000);
            generation.Property(g => g.HttpReferer).HasMaxLength(1000);
            generation.Property(g => g.Api).HasMaxLength(GenerationApi.MaxLength);
            generation.HasIndex(g => new { g.AccountId, g.Day });
            generation.HasIndex(g => new { g.ApiKeyId, g.Day });
        });

        model.Entity<CompareVote>(vote =>
        {
            vote.ToTable("compare_votes");
            vote.Property(v => v.ModelA).HasMaxLength(200);
            vote.Property(v => v.ModelB).HasMaxLength(200);
            vote.Property(v => v.Winner).HasMaxLength(8);
            vote.HasIndex(v => new { v.AccountId, v.ModelA, v.ModelB });
            vote.HasOne<Account>().WithMany().HasForeignKey(v => v.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<GenerationContent>(content =>
        {
            content.ToTable("generation_contents");
            content.HasKey(c => c.GenerationId);
            content.Property(c => c.GenerationId).HasMaxLength(64);
            // Text of any length: no 512 default.
            content.Property(c => c.Prompt).Metadata.SetMaxLength(null);
            content.Property(c => c.Completion).Metadata.SetMaxLength(null);
            content.HasIndex(c => new { c.AccountId, c.CreatedAt });
        });

        model.Entity<DailyUsage>(usage =>
        {
            usage.ToTable("daily_usage");
            usage.HasKey(u => new { u.AccountId, u.Day, u.ApiKeyId, u.Model, u.ProviderName });
            usage.Property(u => u.Model).HasMaxLength(200);
            usage.Property(u => u.ProviderName).HasMaxLength(200);
        });

        model.Entity<PendingDailyUsage>(pending =>
        {
            pending.ToTable("daily_usage_pending");
            pending.Property(u => u.Model).HasMaxLength(200);
            pending.Property(u => u.ProviderName).HasMaxLength(200);
        });

        model.Entity<OperatorSettings>(settings =>
        {
            settings.ToTable("operator_settings");
            settings.Property(s => s.Id).ValueGeneratedNever();
        });

        model.Entity<AccountProviderKey>(key =>
        {
            key.ToTable("account_provider_keys");
            key.HasIndex(k => new { k.AccountId, k.ProviderSlug }).IsUnique();
            key.Property(k => k.ProviderSlug).HasMaxLength(100);
            key.Property(k => k.Ciphertext).HasMaxLength(4000);
            key.Property(k => k.Masked).HasMaxLength(32);
            key.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<SpendAlert>(alert =>
        {
            alert.ToTable("spend_alerts");
            alert.HasIndex(a => new { a.AccountId, a.Subject, a.Threshold, a.PeriodStart }).IsUnique();
            alert.HasIndex(a => new { a.AccountId, a.CreatedAt });
            alert.HasIndex(a => a.Webhook);
            alert.Property(a => a.Subject).HasMaxLength(40);
            alert.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
            alert.Property(a => a.Webhook).HasConversion<string>().HasMaxLength(16);
            alert.Property(a => a.WebhookError).HasMaxLength(1000);
            alert.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<RateLimiting.RateWindow>(window =>
        {
            window.ToTable("rate_windows");
            window.HasKey(w => new { w.Scope, w.WindowStart });
            window.Property(w => w.Scope).HasMaxLength(120);
            window.HasIndex(w => w.ExpiresAt);
        });

        model.Entity<Web.WebSessionRecord>(session =>
        {
            session.ToTable("web_sessions");
            session.Property(s => s.Id).HasMaxLength(64);
            session.Property(s => s.KeyHash).HasMaxLength(64);
            session.HasIndex(s => s.ExpiresAt);
        });

        model.Entity<Security.DataProtectionKeyRecord>(key =>
        {
            key.ToTable("data_protection_keys");
            key.Property(k => k.Name).HasMaxLength(200);
            key.Property(k => k.Xml).HasMaxLength(Security.DataProtectionKeyRecord.MaxXmlLength);
            key.HasIndex(k => k.Name).IsUnique();
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
