using System.Xml;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.Data;

namespace Switchboard.Security;

/// <summary>
/// Installations before the ring moved into the store kept it in <c>&lt;DataDirectory&gt;/web-keys</c>, one file per
/// element named as data protection named it (<c>key-{id}.xml</c>). At start-up, under the start-up lock, every file
/// whose element is not in the store yet is copied in, as it is (encrypted keys stay encrypted), so sessions and
/// stored provider keys protected with them stay readable. The names are unique in the store, so running it again,
/// or on several replicas, adds nothing twice. The directory is left in place (nothing reads it any more).
/// </summary>
internal sealed partial class LegacyKeyRingImport(
    SwitchboardStore store, IOptions<SwitchboardOptions> options, TimeProvider time, ILogger<LegacyKeyRingImport> logger)
{
    public const string DirectoryName = "web-keys";

    public string Directory => Path.Combine(Path.GetFullPath(options.Value.Database.DataDirectory), DirectoryName);

    /// <summary>Copies what the directory holds and the store does not; returns how many elements were copied.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }
        var found = new List<DataProtectionKeyRecord>();
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.xml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            try
            {
                var xml = XElement.Parse(await File.ReadAllTextAsync(file, cancellationToken)).ToString(SaveOptions.DisableFormatting);
                if (name.Length <= 200 && xml.Length <= DataProtectionKeyRecord.MaxXmlLength)
                {
                    found.Add(new DataProtectionKeyRecord { Name = name, Xml = xml, CreatedAt = now });
                    continue;
                }
            }
            catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
            {
                // Reported below; a damaged file is not worth refusing to start over.
            }
            Log.Skipped(logger, file);
        }
        if (found.Count == 0)
        {
            return 0;
        }

        var imported = await store.WriteAsync(async db =>
        {
            var names = found.Select(f => f.Name).ToList();
            var present = (await db.DataProtectionKeys.Where(k => names.Contains(k.Name)).Select(k => k.Name).ToListAsync(cancellationToken))
                .ToHashSet(StringComparer.Ordinal);
            var missing = found.Where(f => !present.Contains(f.Name)).ToList();
            db.DataProtectionKeys.AddRange(missing);
            await db.SaveChangesAsync(cancellationToken);
            return missing.Count;
        }, cancellationToken);
        if (imported > 0)
        {
            Log.Imported(logger, imported, Directory);
        }
        return imported;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Imported {Count} data-protection element(s) from {Directory} into the database, which holds the key ring from now on; the directory is no longer read.")]
        public static partial void Imported(ILogger logger, int count, string directory);

        [LoggerMessage(2, LogLevel.Warning, "Skipped {File}: not a readable data-protection element.")]
        public static partial void Skipped(ILogger logger, string file);
    }
}
