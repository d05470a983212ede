using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Switchboard.Data;

namespace Switchboard.Security;

/// <summary>
/// The data-protection key ring in the store (<c>data_protection_keys</c>), so every replica on one database reads
/// and writes the same ring with no shared disk. Data protection calls it rarely: when it builds its ring (at the first
/// use, then about once a day, or when the ring changed) and when it adds a key. Its interface is synchronous, so these
/// are synchronous queries; writes take the store's write gate like every other write.
/// </summary>
internal sealed partial class DatabaseXmlRepository(SwitchboardStore store, KeyRingHealth health, TimeProvider time, ILogger<DatabaseXmlRepository> logger)
    : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = store.Read();
        var rows = db.DataProtectionKeys.OrderBy(k => k.Id).Select(k => new { k.Name, k.Xml }).ToList();
        var elements = new List<XElement>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                elements.Add(XElement.Parse(row.Xml));
            }
            catch (XmlException)
            {
                Log.Unparseable(logger, row.Name); // one damaged row must not take the whole ring with it
            }
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // A replica that cannot read the ring the others use must not add a key of its own: the others could not read
        // it either, and once it became the newest it would break their sessions too (docs/security.md).
        if (health.Problem is { } problem)
        {
            throw new InvalidOperationException($"This replica adds no data-protection key while it cannot read the stored ones: {problem}");
        }
        var record = new DataProtectionKeyRecord
        {
            Name = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        store.WriteAsync(async db =>
        {
            db.DataProtectionKeys.Add(record);
            return await db.SaveChangesAsync();
        }).GetAwaiter().GetResult();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The stored data-protection element {Name} is not valid XML and is ignored.")]
        public static partial void Unparseable(ILogger logger, string name);
    }
}
