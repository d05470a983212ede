using System.Runtime.CompilerServices;

namespace Switchboard.Catalog;

/// <summary>
/// The unfiltered <c>GET /models</c> body, serialised once per catalog snapshot. Building and writing it cost about
/// 20 ms of CPU per request at 1,000 models in the bench's catalog phase, for bytes that cannot change while the
/// snapshot lives. Keyed by the snapshot instance, so a catalog swapped at runtime gets an entry of its own and the
/// old entry is collected with the old snapshot (discovery swaps snapshots behind the one <see cref="ModelCatalog"/>).
/// </summary>
internal static class ModelListCache
{
    private static readonly ConditionalWeakTable<CatalogSnapshot, byte[]> Bodies = new();

    /// <remarks>
    /// The lookup comes first so a hit allocates nothing (the factory's closure is only made on a miss). Two first
    /// requests may both build the body; one is kept, and both are the same bytes.
    /// </remarks>
    public static byte[] Get<TState>(CatalogSnapshot catalog, TState state, Func<CatalogSnapshot, TState, byte[]> build) =>
        Bodies.TryGetValue(catalog, out var body) ? body : Bodies.GetValue(catalog, key => build(key, state));
}
