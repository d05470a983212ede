using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// The inference keys seeded into a step's database. A key's secret is derived from its number, so the bench knows
/// the secret of any seeded key without keeping a million of them; the gateway stores only the hash, as it does for
/// keys it creates (<c>src/Switchboard/Keys/ApiKeySecret.cs</c>: <c>sk-sb-v1-</c> and 64 lower-case hex characters,
/// stored as the lower-case hex SHA-256 of the whole key).
/// </summary>
internal sealed class SeededKeys(int count, int keysPerAccount)
{
    private const string Prefix = "sk-sb-v1-";

    public int Count { get; } = count;

    /// <summary>Keys per account: a tenant with a handful of keys, as most have.</summary>
    public int KeysPerAccount { get; } = keysPerAccount;

    public int AccountCount => (Count + KeysPerAccount - 1) / KeysPerAccount;

    /// <summary>Which account (0-based) key <paramref name="key"/> belongs to.</summary>
    public int AccountOf(int key) => key / KeysPerAccount;

    public static string Secret(int key) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"switchboard-bench-scaling-key-{key}")));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The masked form the gateway shows: <c>sk-sb-v1-3f2...9ab</c>.</summary>
    public static string Label(string secret) => $"{secret[..(Prefix.Length + 3)]}...{secret[^3..]}";

    /// <summary>
    /// The keys the measured requests use: all of them when there are few, else every key of
    /// <c><paramref name="hot"/> / KeysPerAccount</c> accounts spread over the whole table. Every curve then sends the
    /// same shape of traffic (1,000 keys of 100 tenants) whatever the table's size, and lookups still touch the whole
    /// table and index rather than its first pages.
    /// </summary>
    public IReadOnlyList<int> Hot(int hot)
    {
        if (Count <= hot)
        {
            return [.. Enumerable.Range(0, Count)];
        }

        var accounts = hot / KeysPerAccount;
        var stride = AccountCount / accounts;
        var random = new Random(Count);
        return
        [
            .. from j in Enumerable.Range(0, accounts)
               let account = j * stride + random.Next(stride)
               from key in Enumerable.Range(account * KeysPerAccount, KeysPerAccount)
               where key < Count
               select key,
        ];
    }
}
