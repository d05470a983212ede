using System.Text;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Builds a choice's <c>reasoning_details</c> from its parts. Thought text accumulates in one entry until a
/// <c>thoughtSignature</c> arrives, which closes it; a signature on a text or call part with no thought before it
/// becomes an entry of its own. The streamed form emits the same entries as fragments with the same indexes,
/// so a client that merges fragments by index ends up with exactly these.
/// </summary>
internal sealed class GeminiReasoningDetails
{
    private readonly List<ReasoningDetail> _details = [];
    private readonly StringBuilder _pending = new();

    public void Add(string? thought, string? signature)
    {
        _pending.Append(thought);
        if (string.IsNullOrEmpty(signature))
        {
            return;
        }
        _details.Add(Entry(_pending.Length > 0 ? _pending.ToString() : null, signature, _details.Count));
        _pending.Clear();
    }

    public List<ReasoningDetail> Complete()
    {
        if (_pending.Length > 0)
        {
            _details.Add(Entry(_pending.ToString(), null, _details.Count));
            _pending.Clear();
        }
        return _details;
    }

    public static ReasoningDetail Entry(string? text, string? signature, int index) =>
        new(ReasoningDetail.TextType, text, signature, null, GeminiModelTurn.DetailFormat, index);
}
