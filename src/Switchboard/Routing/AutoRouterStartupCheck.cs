namespace Switchboard.Routing;

/// <summary>
/// Resolves <c>openrouter/auto</c>'s candidates before the server takes requests and says what it left out: a
/// configured id the catalog does not have is a warning, not a start-up failure, because the catalog file and the
/// settings are edited apart (a catalog update that drops a model must not stop the gateway).
/// </summary>
internal sealed partial class AutoRouterStartupCheck(AutoRouter router, ILogger<AutoRouterStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!router.Enabled)
        {
            return Task.CompletedTask;
        }
        if (router.Skipped.Count > 0)
        {
            Log.CandidatesSkipped(logger, router.Skipped.Count, string.Join(", ", router.Skipped));
        }
        if (router.Candidates.Length == 0)
        {
            Log.NoCandidates(logger);
        }
        else
        {
            Log.Candidates(logger, router.Candidates.Length, router.Preference.ToString().ToLowerInvariant());
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "openrouter/auto: {Count} candidate(s) in Switchboard:AutoRouter:Candidates are not chat models of the catalog and are skipped: {Ids}.")]
        public static partial void CandidatesSkipped(ILogger logger, int count, string ids);

        [LoggerMessage(2, LogLevel.Warning, "openrouter/auto has no candidate in the catalog: every request for it gets 404 until Switchboard:AutoRouter:Candidates names catalog models.")]
        public static partial void NoCandidates(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "openrouter/auto: {Count} candidates, preference {Preference}.")]
        public static partial void Candidates(ILogger logger, int count, string preference);
    }
}
