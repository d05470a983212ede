namespace Switchboard.Configuration;

internal static class SwitchboardCommandLine
{
    /// <summary>
    /// The arguments the host is built with: the content root, the expanded switches, and appsettings not reloaded
    /// on change.
    /// <list type="bullet">
    /// <item>The content root defaults to the gateway's own directory rather than the working directory, so the
    /// <c>appsettings.json</c> shipped beside <c>Switchboard.dll</c> applies however it is started (a service unit,
    /// a container, <c>dotnet path/to/Switchboard.dll</c>). Without it, a gateway started from elsewhere ran with
    /// framework defaults, hosting diagnostics included (an <c>Activity</c> and a log scope per request).
    /// <c>--contentRoot</c> or <c>ASPNETCORE_CONTENTROOT</c> still choose another. Relative paths in settings
    /// (<c>Switchboard:Database:DataDirectory</c>) stay relative to the working directory.</item>
    /// <item>Options are validated and bound once at start-up, and the reload watcher observes the whole content
    /// root recursively: with the SQLite file under it, every journal commit woke it.</item>
    /// </list>
    /// </summary>
    public static string[] ForHost(string[] args)
    {
        var expanded = ExpandSwitches(args);
        return ChoosesContentRoot(expanded)
            ? [.. expanded, "--hostBuilder:reloadConfigOnChange=false"]
            : [$"--contentRoot={AppContext.BaseDirectory}", .. expanded, "--hostBuilder:reloadConfigOnChange=false"];
    }

    /// <summary>
    /// Turns the bare <c>--demo</c> switch into <c>--Switchboard:Demo=true</c>. Left bare, the command-line
    /// provider would take the next argument (say <c>--urls</c>) as its value.
    /// </summary>
    public static string[] ExpandSwitches(string[] args) =>
        [.. args.Select(a => string.Equals(a, "--demo", StringComparison.OrdinalIgnoreCase) ? $"--{SwitchboardOptions.Section}:Demo=true" : a)];

    private static bool ChoosesContentRoot(string[] args) =>
        Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 }
        || Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is { Length: > 0 }
        || args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase)); // --contentRoot, /contentRoot, contentRoot=
}
