namespace Switchboard.Simulator.Scripting;

/// <summary>
/// Random ids shaped like the providers' own — a prefix (<c>call_</c>, <c>toolu_</c>, <c>msg_</c>, <c>req_</c>)
/// plus 24 alphanumerics — so gateway code that inspects id prefixes sees realistic values.
/// </summary>
internal static class RandomIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int RandomLength = 24;

    public static string Next(string prefix) => string.Create(prefix.Length + RandomLength, prefix, static (span, prefix) =>
    {
        prefix.CopyTo(span);
        Random.Shared.GetItems(Alphabet, span[prefix.Length..]);
    });
}
