namespace Switchboard.Billing;

/// <summary>
/// Read-your-writes for endpoints that report money or usage: settlements are journaled behind the requests,
/// so before such an endpoint reads the store it waits for the journal to write what was appended so far
/// (at most one batch: a few milliseconds).
/// </summary>
internal static class SettledReads
{
    public static TBuilder AfterJournalFlush<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(static async (context, next) =>
        {
            await context.HttpContext.RequestServices.GetRequiredService<LedgerJournal>().FlushAsync();
            return await next(context);
        });
}
