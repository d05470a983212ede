using System.Reflection;
using Microsoft.Extensions.Configuration;
using Switchboard.Configuration;

namespace Switchboard.Tests.Deployment;

/// <summary>
/// Whether a setting named in a deployment file exists, checked against the gateway's own options classes (what the
/// configuration binder fills), so a renamed or removed setting fails here rather than being silently ignored by a
/// replica. A dictionary level (<c>Providers:&lt;slug&gt;</c>) takes any key, a list level an index.
/// </summary>
internal static class SettingNames
{
    private const string Prefix = SwitchboardOptions.Section + ":";

    /// <summary>Settings that exist only to be refused at start-up with a message naming their replacement.</summary>
    private static readonly string[] Refused = ["Switchboard:Billing:InstanceId", "Switchboard:Billing:AbandonedLeaseAfter"];

    /// <summary>
    /// The problem with a setting given as an environment variable (<c>Switchboard__A__B</c>) or a key
    /// (<c>Switchboard:A:B</c>), and with its value when one is known; null when both are right.
    /// </summary>
    /// <param name="allowSection">A whole section may be named (prose does); a variable must name one setting.</param>
    public static string? Problem(string name, string? value, bool allowSection = false)
    {
        var key = name.Replace("__", ":", StringComparison.Ordinal);
        if (!key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (Refused.Any(r => r.Equals(key, StringComparison.OrdinalIgnoreCase)))
        {
            return $"{name}: this setting was replaced and is refused at start-up (docs/configuration.md).";
        }
        var segments = key[Prefix.Length..].Split(':');
        if (Leaf(typeof(SwitchboardOptions), segments) is not { } leaf)
        {
            return $"{name}: no such setting (nothing in SwitchboardOptions binds {key}).";
        }
        if (!IsScalar(leaf) && !allowSection)
        {
            return $"{name}: {key} is a section, not a setting with a value.";
        }
        if (value is null)
        {
            return null;
        }
        try
        {
            // The real binder, strict: it converts the value to the property's type, as the gateway will.
            _ = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build()
                .GetSection(SwitchboardOptions.Section).Get<SwitchboardOptions>(o => o.ErrorOnUnknownConfiguration = true);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return $"{name}='{value}': {ex.Message}";
        }
    }

    private static Type? Leaf(Type type, ReadOnlySpan<string> segments)
    {
        if (segments.IsEmpty)
        {
            return type;
        }
        if (Generic(type, typeof(Dictionary<,>)) is { } dictionary)
        {
            return Leaf(dictionary[1], segments[1..]);
        }
        if (Generic(type, typeof(List<>)) is { } list)
        {
            return int.TryParse(segments[0], out var index) && index >= 0 ? Leaf(list[0], segments[1..]) : null;
        }
        var property = type.GetProperty(segments[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanWrite: true } || property?.PropertyType is { IsClass: true } and not { Name: "String" }
            ? Leaf(property!.PropertyType, segments[1..])
            : null;
    }

    private static Type[]? Generic(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type.GetGenericArguments() : null;

    private static bool IsScalar(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(decimal)
            || underlying == typeof(TimeSpan) || underlying == typeof(Uri);
    }
}
