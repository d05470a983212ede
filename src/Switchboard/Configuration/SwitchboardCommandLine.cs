namespace Switchboard.Configuration;

internal static class SwitchboardCommandLine
{
    /// <summary>
    /// Turns the bare <c>--demo</c> switch into <c>--Switchboard:Demo=true</c>. Left bare, the command-line
    /// provider would take the next argument (say <c>--urls</c>) as its value.
    /// </summary>
    public static string[] ExpandSwitches(string[] args) =>
        [.. args.Select(a => string.Equals(a, "--demo", StringComparison.OrdinalIgnoreCase) ? $"--{SwitchboardOptions.Section}:Demo=true" : a)];
}
