using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Tests.Deployment;

/// <summary>
/// The documents of one YAML file, with merge keys (<c>&lt;&lt;: *anchor</c>, as compose files use them) resolved, and
/// the few ways of walking them the deployment checks need.
/// </summary>
internal sealed partial class YamlFile
{
    private YamlFile(string path, IReadOnlyList<YamlNode> documents)
    {
        Path = path;
        Documents = documents;
    }

    public string Path { get; }

    public IReadOnlyList<YamlNode> Documents { get; }

    /// <summary>The file's documents, or the parser's complaint (with its line) as a problem.</summary>
    public static YamlFile? Load(string path, string displayName, List<string> problems)
    {
        try
        {
            var stream = new YamlStream();
            using var reader = new StringReader(File.ReadAllText(path));
            stream.Load(new MergingParser(new Parser(reader)));
            return new YamlFile(path, [.. stream.Documents.Select(d => d.RootNode).Where(n => n is not YamlScalarNode { Value: null or "" })]);
        }
        catch (YamlException ex)
        {
            problems.Add($"{displayName}: not valid YAML at line {ex.Start.Line}: {ex.Message}");
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this, not a YamlException, on some malformed input (an unclosed flow sequence).
            problems.Add($"{displayName}: not valid YAML: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Whether Kubernetes would read the scalar as something other than a string: ConfigMap and Secret values must be
    /// strings, and an unquoted <c>true</c>, <c>8080</c> or <c>00:10:00</c> (a base-60 number in YAML 1.1) is not.
    /// </summary>
    public static bool IsTypedPlainScalar(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && (string.IsNullOrEmpty(scalar.Value) || TypedPlain().IsMatch(scalar.Value));

    [GeneratedRegex(@"^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\d[\d_]*)?\.?\d+(?:[eE][-+]?\d+)?|0x[0-9a-f]+|0o?[0-7]+|[-+]?\d+(?::[0-5]?\d)+(?:\.\d*)?|\.inf|\.nan)$", RegexOptions.IgnoreCase)]
    private static partial Regex TypedPlain();
}

/// <summary>Walking a YAML tree by keys; a missing step gives null (or nothing) rather than an exception.</summary>
internal static class YamlNodes
{
    public static YamlNode? At(this YamlNode? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }
        return node;
    }

    public static string? Text(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    public static string? Text(this YamlNode? node, params string[] keys) => node.At(keys).Text();

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node) =>
        node is YamlMappingNode mapping
            ? mapping.Children.Select(c => ((c.Key as YamlScalarNode)?.Value ?? "", c.Value))
            : [];

    /// <summary>A mapping of scalars as a dictionary (labels, selectors, environments written as a mapping).</summary>
    public static Dictionary<string, string> Strings(this YamlNode? node) =>
        node.Entries().ToDictionary(e => e.Key, e => e.Value.Text() ?? "", StringComparer.Ordinal);
}
