using System.Globalization;
using Switchboard.Keys;

namespace Switchboard.Accounts;

/// <summary>
/// The arguments after an <c>admin</c> command's words: the command's own options, and configuration for the host
/// (<c>--Switchboard:Database:DataDirectory=...</c>). Getters record the first problem in <see cref="Error"/>
/// instead of throwing, so a command reads all its options and then reports one clear message.
/// </summary>
internal sealed class AdminArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    /// <summary>Arguments for the configuration's command-line source, in their original order.</summary>
    public List<string> Configuration { get; } = [];

    public string? Error { get; private set; }

    /// <param name="values">Options that take a value (<c>--name x</c> or <c>--name=x</c>).</param>
    /// <param name="flags">Options that stand alone (<c>--management</c>).</param>
    public static AdminArguments Parse(ReadOnlySpan<string> args, string[] values, string[] flags)
    {
        var parsed = new AdminArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            if (flags.Contains(name) && equals < 0)
            {
                parsed._options[name] = null;
            }
            else if (values.Contains(name))
            {
                if (equals < 0 && i + 1 >= args.Length)
                {
                    parsed.Fail($"{name} needs a value.");
                    break;
                }
                parsed._options[name] = equals > 0 ? arg[(equals + 1)..] : args[++i];
            }
            else if (IsConfiguration(name))
            {
                parsed.Configuration.Add(arg);
                if (equals < 0 && i + 1 < args.Length)
                {
                    parsed.Configuration.Add(args[++i]);
                }
            }
            else
            {
                parsed.Fail($"unknown argument '{arg}'.");
            }
        }
        return parsed;
    }

    // Configuration keys are sections (Switchboard:Database:Provider) or the host's own settings. Anything else is
    // taken for a mistyped option: handed to configuration it would be ignored, or swallow the next argument.
    private static bool IsConfiguration(string name) =>
        name.StartsWith("--", StringComparison.Ordinal)
        && (name.Contains(':', StringComparison.Ordinal) || name is "--environment" or "--contentRoot" or "--applicationName");

    public bool Flag(string name) => _options.ContainsKey(name);

    /// <summary>Whether the option was given at all (with a value or as a flag).</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>The option's raw value; null when it was not given.</summary>
    public string? Raw(string name) => _options.GetValueOrDefault(name);

    /// <summary>Records <paramref name="message"/> as the error (the first one wins).</summary>
    public void Problem(string message) => Fail(message);

    public string? Text(string name, int maxLength, bool required = false)
    {
        var value = _options.GetValueOrDefault(name)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return required || _options.ContainsKey(name) ? Fail<string>($"{name} is required: text of at most {maxLength} characters.") : null;
        }
        return value.Length <= maxLength ? value : Fail<string>($"{name} must be at most {maxLength} characters.");
    }

    public long? Id(string name, bool required = false)
    {
        var value = _options.GetValueOrDefault(name);
        if (value is null)
        {
            return required ? Fail<long?>($"{name} is required: an account id.") : null;
        }
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : Fail<long?>($"{name} must be an account id (a positive whole number), not '{value}'.");
    }

    /// <summary>USD as a <see cref="decimal"/>, with '.' as the decimal point whatever the machine's culture.</summary>
    public decimal? Usd(string name, bool allowNegative, bool required = false)
    {
        var value = _options.GetValueOrDefault(name);
        if (value is null)
        {
            return required ? Fail<decimal?>($"{name} is required: an amount of USD.") : null;
        }
        // No thousands separators: with them "1,5" would quietly read as 15.
        const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
        if (!decimal.TryParse(value, Style, CultureInfo.InvariantCulture, out var amount))
        {
            return Fail<decimal?>($"{name} must be an amount of USD such as 10 or 2.50, not '{value}'.");
        }
        return allowNegative || amount >= 0m ? amount : Fail<decimal?>($"{name} must be zero or more, not '{value}'.");
    }

    public LimitReset? LimitReset(string name)
    {
        var value = _options.GetValueOrDefault(name);
        return LimitPeriod.TryParse(value, out var reset) ? reset : Fail<LimitReset?>($"{name} must be daily, weekly or monthly, not '{value}'.");
    }

    /// <summary>One of <paramref name="choices"/>, or <paramref name="fallback"/> when the option is absent.</summary>
    public string Choice(string name, string fallback, params string[] choices)
    {
        var value = _options.GetValueOrDefault(name) ?? fallback;
        return choices.Contains(value) ? value : Fail<string>($"{name} must be {string.Join(", ", choices)}, not '{value}'.") ?? fallback;
    }

    /// <summary>Records <paramref name="message"/> as the error unless <paramref name="valid"/>.</summary>
    public void Check(bool valid, string message)
    {
        if (!valid)
        {
            Fail(message);
        }
    }

    public static AdminArguments Invalid(string message)
    {
        var arguments = new AdminArguments();
        arguments.Fail(message);
        return arguments;
    }

    private T? Fail<T>(string message)
    {
        Fail(message);
        return default;
    }

    private void Fail(string message) => Error ??= message;
}
