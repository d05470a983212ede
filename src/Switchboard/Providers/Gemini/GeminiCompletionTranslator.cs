using System.Buffers;
using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>A non-streamed <c>GenerateContentResponse</c> as an OpenAI <c>chat.completion</c>: one choice per candidate.</summary>
internal static class GeminiCompletionTranslator
{
    public static CompletionResult Translate(ReadOnlySpan<byte> body, ResponseIdentity identity, IBufferWriter<byte> output)
    {
        var document = JsonText.TryParse(body);
        if (document is null)
        {
            return Invalid("The provider returned a response that is not valid JSON.", body);
        }
        using (document)
        {
            var root = document.RootElement;
            if (GeminiErrors.Error(root) is { } error)
            {
                return CompletionResult.Failed(GeminiErrors.FromInBand(error, body));
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid("The provider returned a response that is not a Gemini GenerateContentResponse.", body);
            }
            var choices = new List<TranslatedChoice>();
            foreach (var (index, candidate) in GeminiResponsePart.Candidates(root))
            {
                choices.Add(Translate(candidate, index, identity));
            }
            if (choices.Count == 0)
            {
                return CompletionResult.Failed(GeminiErrors.Blocked(root, body)
                    ?? new UpstreamFailure(FailureKind.InvalidResponse, "Gemini returned no candidates.", Raw: OpenAIErrors.Text(body)));
            }
            var usage = GeminiUsage.Read(root)?.ToTokenUsage();
            OpenAICompletionWriter.Write(output, identity, choices);
            return new CompletionResult(usage, choices[0].NativeFinishReason, null);
        }
    }

    private static TranslatedChoice Translate(JsonElement candidate, int index, ResponseIdentity identity)
    {
        var choice = new TranslatedChoice { Index = index };
        var reasoning = new GeminiReasoningDetails();
        foreach (var element in GeminiResponsePart.Parts(candidate))
        {
            var part = GeminiResponsePart.Read(element);
            if (part.FunctionName is { } name)
            {
                reasoning.Add(null, part.Signature);
                var id = part.CallId ?? GeminiToolCallIds.Create(identity.GenerationId, index, choice.ToolCalls.Count);
                choice.ToolCalls.Add(new TranslatedToolCall(id, name, part.Arguments!));
            }
            else if (part.Thought)
            {
                choice.Reasoning.Append(part.Text);
                reasoning.Add(part.Text, part.Signature);
            }
            else
            {
                reasoning.Add(null, part.Signature);
                choice.Text.Append(part.Text);
            }
        }
        choice.ReasoningDetails.AddRange(reasoning.Complete());
        choice.NativeFinishReason = GeminiRequestWriter.String(candidate, "finishReason");
        choice.FinishReason = GeminiFinishReasons.Map(choice.NativeFinishReason, choice.ToolCalls.Count > 0);
        return choice;
    }

    private static CompletionResult Invalid(string message, ReadOnlySpan<byte> body) =>
        CompletionResult.Failed(new UpstreamFailure(FailureKind.InvalidResponse, message, Raw: OpenAIErrors.Text(body)));
}
