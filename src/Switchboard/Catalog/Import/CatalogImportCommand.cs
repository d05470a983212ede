using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Catalog.Import;

/// <summary>
/// <c>dotnet run --project src/Switchboard -- catalog import-openrouter &lt;models.json&gt; [--catalog &lt;in.json&gt;] [--out &lt;out.json&gt;]</c>:
/// writes a catalog that adds OpenRouter as an upstream for every model in an OpenRouter <c>/models</c> export.
/// </summary>
internal static class CatalogImportCommand
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args is not ["catalog", "import-openrouter", ..])
        {
            return false;
        }
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: catalog import-openrouter <openrouter-models.json> [--catalog <in.json>] [--out <out.json>]");
            exitCode = 2;
            return true;
        }
        var input = Option(args, "--catalog") ?? CatalogFileReader.DefaultPath;
        var output = Option(args, "--out");
        try
        {
            var errors = new List<string>();
            var catalog = CatalogFileReader.Read(input, errors);
            if (errors.Count > 0)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, errors));
                exitCode = 1;
                return true;
            }
            OpenRouterExport export;
            using (var stream = File.OpenRead(args[2]))
            {
                export = JsonSerializer.Deserialize(stream, SwitchboardJsonContext.Default.OpenRouterExport) ?? new OpenRouterExport();
            }
            var (added, extended, skipped) = OpenRouterImporter.Merge(catalog, export);
            catalog.Updated = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

            var options = new JsonSerializerOptions(SwitchboardJsonContext.Default.Options) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            var json = JsonSerializer.Serialize(catalog, options.GetTypeInfo(typeof(CatalogFile)));
            if (output is null)
            {
                Console.Out.WriteLine(json);
            }
            else
            {
                File.WriteAllText(output, json);
            }
            Console.Error.WriteLine($"Imported {args[2]}: {added} models added, {extended} catalog models gained an OpenRouter endpoint, {skipped} skipped.");
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"catalog import-openrouter: {ex.Message}");
            exitCode = 1;
        }
        return true;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
