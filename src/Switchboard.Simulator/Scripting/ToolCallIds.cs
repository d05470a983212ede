namespace Switchboard.Simulator.Scripting;

/// <summary>Tool-call ids shaped like OpenAI's (<c>call_</c> + 24 alphanumerics).</summary>
internal static class ToolCallIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Next() => string.Create(29, 0, static (span, _) =>
    {
        "call_".CopyTo(span);
        Random.Shared.GetItems(Alphabet, span[5..]);
    });
}
