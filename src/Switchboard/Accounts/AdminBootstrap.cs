using Microsoft.Extensions.Options;
using Switchboard.Billing;
using Switchboard.Configuration;
using Switchboard.Data;
using Switchboard.Keys;

namespace Switchboard.Accounts;

/// <summary>
/// First start: creates the admin account and its management key, exactly once however many processes start. The key is printed once to the console
/// (never logged), unless <c>Switchboard:Admin:InitialManagementKey</c> supplied it.
/// </summary>
internal sealed partial class AdminBootstrap(
    AccountAdministration accounts,
    ApiKeyStore keys,
    CreditLedger ledger,
    StartupLock startupLock,
    IOptions<SwitchboardOptions> settings,
    ILogger<AdminBootstrap> logger) : IHostedService
{
    /// <summary>Credits a demo's admin account starts with, so the first request works without a top-up.</summary>
    private const decimal DemoCredits = 10m;
    private readonly AdminOptions _options = settings.Value.Admin;
    /// <remarks>Under the <see cref="StartupLock"/>: replicas starting together on an empty store create one admin account between them.</remarks>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var held = await startupLock.AcquireAsync(cancellationToken);
        if (await accounts.AnyAdminAsync(cancellationToken))
        {
            return;
        }
        if (_options.InitialManagementKey is { } configured && !ApiKeySecret.IsWellFormed(configured))
        {
            throw new InvalidOperationException(
                $"Switchboard:Admin:InitialManagementKey must look like {ApiKeySecret.Prefix}<64 lower-case hex characters>.");
        }
        var created = await accounts.CreateAsync("admin", isAdmin: true, _options.InitialCredits, _options.InitialManagementKey, cancellationToken);
        Log.Created(logger, created.Account.Id, created.ManagementKey.Id);
        var demoKey = settings.Value.Demo ? await CreateDemoKeyAsync(created.Account.Id, cancellationToken) : null;
        if (_options.InitialManagementKey is null)
        {
            Console.WriteLine($$"""

                Switchboard created the admin account. Its management key, shown only this once:

                    {{created.ManagementKeySecret}}

                Create an inference key with it:
                    curl -X POST http://<host>/api/v1/keys -H "Authorization: Bearer <management key>" -d '{"name":"my app"}'

                """);
        }
        if (demoKey is not null)
        {
            Console.WriteLine($"""
                Demo mode: the admin account holds {DemoCredits} USD of credits, and this inference key calls models:

                    {demoKey}

                """);
        }
    }

    private async Task<string> CreateDemoKeyAsync(long accountId, CancellationToken cancellationToken)
    {
        if (_options.InitialCredits == 0m)
        {
            await ledger.CreditAsync(accountId, DemoCredits, LedgerEntryKind.TopUp, "demo credits");
        }
        var (_, secret) = await keys.CreateAsync(accountId, new ApiKeySpec("demo"), cancellationToken: cancellationToken);
        return secret;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        // The key's id, never its label: the label is six characters of the secret, and logs are kept and shipped.
        [LoggerMessage(1, LogLevel.Information, "Created admin account {AccountId} with management key {KeyId}.")]
        public static partial void Created(ILogger logger, long accountId, long keyId);
    }
}
