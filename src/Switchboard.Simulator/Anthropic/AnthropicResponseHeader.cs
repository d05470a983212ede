using System.Security.Cryptography;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>Identity fields shared by a message body and every event of its stream.</summary>
/// <param name="Signature">The thinking block's signature, which clients must send back unchanged.</param>
internal sealed record AnthropicResponseHeader(string Id, string Model, string Signature)
{
    public static AnthropicResponseHeader Create(string model) =>
        new(RandomIds.Next("msg_"), model, "sig_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
}
