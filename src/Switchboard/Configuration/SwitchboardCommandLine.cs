namespace Switchboard.Configuration;

internal static class SwitchboardCommandLine
{
    /// <summary>
    /// The arguments the host is built with: the expanded switches, and appsettings not reloaded on change.
    /// Options are validated and bound once at start-up, and the reload watcher observes the whole content root
    /// recursively, so with the SQLite file under it (the default <c>./data</c>) every journal commit woke it.
    /// </summary>
    public static string[] ForHost(string[] args) => [.. ExpandSwitches(args), "--hostBuilder:reloadConfigOnChange=false"];

    /// <summary>
    /// Turns the bare <c>--demo</c> switch into <c>--Switchboard:Demo=true</c>. Left bare, the command-line
    /// provider would take the next argument (say <c>--urls</c>) as its value.
    /// </summary>
    public static string[] ExpandSwitches(string[] args) =>
        [.. args.Select(a => string.Equals(a, "--demo", StringComparison.OrdinalIgnoreCase) ? $"--{SwitchboardOptions.Section}:Demo=true" : a)];
}
