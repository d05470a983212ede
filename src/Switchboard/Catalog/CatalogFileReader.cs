using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Catalog;

/// <summary>Reads a catalog file; a missing or malformed file is a configuration error naming the path.</summary>
internal static class CatalogFileReader
{
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Catalog", "catalog.json");

    public static CatalogFile Read(string path, List<string> errors)
    {
        if (!File.Exists(path))
        {
            errors.Add($"Switchboard:CatalogPath: catalog file '{path}' does not exist.");
            return new CatalogFile();
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, SwitchboardJsonContext.Default.CatalogFile) ?? new CatalogFile();
        }
        catch (JsonException ex)
        {
            errors.Add($"Switchboard:CatalogPath: catalog file '{path}' is not valid JSON for the catalog schema: {ex.Message}");
            return new CatalogFile();
        }
    }
}
