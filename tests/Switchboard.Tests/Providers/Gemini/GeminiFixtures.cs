namespace Switchboard.Tests.Providers.Gemini;

/// <summary>
/// Real Gemini API responses recorded by other projects, copied verbatim (embedded here because the test project's
/// file may not change to copy fixture files). Each constant names its repository, path and commit. Recordings whose
/// source keeps one JSON object per line (the Vercel AI SDK's <c>.chunks.txt</c>) are framed as Gemini sends them
/// on the wire, <c>data: {json}</c> plus a blank line, exactly as that SDK's own tests replay them.
/// </summary>
internal static class GeminiFixtures
{
    /// <summary>
    /// ENTERPILOT/GoModel <c>tests/contract/testdata/gemini/native_chat_completion_stream.txt</c> @ 8630053da536c48653e010bdd017500cd6f37a3b.
    /// gemini-2.5-flash, raw SSE: two text events, usage repeated and cumulative, 18 thought tokens, no thought text.
    /// </summary>
    public const string GoModelTextStream = """
        data: {"candidates": [{"content": {"parts": [{"text": "Hello"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 1,"totalTokenCount": 30,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}],"thoughtsTokenCount": 18,"serviceTier": "standard"},"modelVersion": "gemini-2.5-flash","responseId": "cWmNaqOEH9CRkdUP1bWcsQU"}

        data: {"candidates": [{"content": {"parts": [{"text": ", World!"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 4,"totalTokenCount": 33,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}],"thoughtsTokenCount": 18,"serviceTier": "standard"},"modelVersion": "gemini-2.5-flash","responseId": "cWmNaqOEH9CRkdUP1bWcsQU"}

        """;

    /// <summary>vercel/ai <c>packages/google/src/__fixtures__/google-text.json</c> @ 0d67d0f2b0dddc043975416b1c929135774c85a2 (gemini-3-pro-preview).</summary>
    public const string VercelText = """
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "text": "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
                    "thoughtSignature": "EtoFCtcFAb4+9vtfe4MXRxQjw48U1WKrR/7lYsgFkVi/bepqsSPjY0VU7HEzkeCBIfy1fu5t9aUZ4IZ65aWagqbBrV45fc97olcg"
                  }
                ],
                "role": "model"
              },
              "finishReason": "STOP",
              "index": 0
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 9,
            "candidatesTokenCount": 28,
            "totalTokenCount": 281,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 9
              }
            ],
            "thoughtsTokenCount": 244
          },
          "modelVersion": "gemini-3-pro-preview",
          "responseId": "Un6LacrVMcjUxs0PmJfWoQc"
        }
        """;

    /// <summary>vercel/ai <c>packages/google/src/__fixtures__/google-tool-call.json</c> @ 1d7f3ec208810ff1ef0910420b4d77e4a526877a (gemini-3-pro-preview).</summary>
    public const string VercelToolCall = """
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "functionCall": {
                      "name": "weather",
                      "args": {
                        "location": "San Francisco"
                      }
                    },
                    "thoughtSignature": "EskgCsYgAb4+9vtF7/499YQS2bjZs3xcQI+iAl+ILn29nK1j0Kg6su7QsUUUk3nrAAfnS2w5WiVvlcCqu9fAebJ2cvfaEyBahEt5"
                  }
                ],
                "role": "model"
              },
              "finishReason": "STOP",
              "index": 0,
              "finishMessage": "Model generated function call(s)."
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 29,
            "candidatesTokenCount": 15,
            "totalTokenCount": 937,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 29
              }
            ],
            "thoughtsTokenCount": 893
          },
          "modelVersion": "gemini-3-pro-preview",
          "responseId": "m36LaZGyCLz1xs0PtNSB-QU"
        }
        """;

    /// <summary>
    /// vercel/ai <c>packages/google/src/__fixtures__/google-tool-call.chunks.txt</c> @ 6b056ab1eadbd2a8c9f268caf6abd5fff45dc7d2.
    /// The call arrives whole in the first event; the finish (STOP, with an empty text part) in the second.
    /// </summary>
    public static readonly string VercelToolCallStream = Sse(
        """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"weather","args":{"location":"San Francisco"}},"thoughtSignature":"EqUCCqICAb4+9vsh8Pd5taZVoPzSvjWWwzBrvhEQWBLCGa7IdY8FBMm7Z6dCKFU3Ft0la15gF7RaHe1NlPRygQec0bFwPDfMwGcUOMNiJiNIKxusCs4ejCZRuouNYQ4etEIt7CujEUHiILLfZXSJZYhs4UCrD2bLqPq0sE0lWgYJnzHkkKUOnMsA2hKffAhtF4DWn5INYj8pPssvch/2VpDFW2F9XSE04zLDzkIWF2eztJX50Y0lTehRZC3FW7fOrXCzGx+PwdataD6eXlF5O1zn+86XtmktOs2DEp4o1PMvXFFAXe8GGvPt8Idf3UtHMq7AsapwMW9sjiKj+FJk54m+9LMTSaj7C86smfvoQryYBEHTVazr1bEnpl4bPG5JUtm2yAMkHj4="}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":29,"candidatesTokenCount":15,"totalTokenCount":89,"promptTokensDetails":[{"modality":"TEXT","tokenCount":29}],"thoughtsTokenCount":45},"modelVersion":"gemini-3-pro-preview","responseId":"b36LacjwM668nsEP2tbsgQQ"}""",
        """{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":29,"candidatesTokenCount":15,"totalTokenCount":89,"promptTokensDetails":[{"modality":"TEXT","tokenCount":29}],"thoughtsTokenCount":45},"modelVersion":"gemini-3-pro-preview","responseId":"b36LacjwM668nsEP2tbsgQQ"}""");

    /// <summary>
    /// vercel/ai <c>packages/google/src/__fixtures__/issue-10781.1.chunks.txt</c> @ 1eb691e138c6bfef8955eb653db4e473ec803c98
    /// (gemini-3.1-pro-preview): text, then a call that carries Gemini's own <c>id</c> and a signature, then the finish.
    /// </summary>
    public static readonly string VercelTextThenCallWithIdStream = Sse(
        """{"candidates":[{"content":{"parts":[{"text":"Let me check."}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":83,"candidatesTokenCount":4,"totalTokenCount":265,"promptTokensDetails":[{"modality":"TEXT","tokenCount":83}],"thoughtsTokenCount":178,"serviceTier":"standard"},"modelVersion":"gemini-3.1-pro-preview","responseId":"7uVgavK_CL7yxN8P-aGnkAY"}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"San Francisco"},"id":"g1bmv6il"},"thoughtSignature":"EqsGCqgGARFNMg/oroYnrVkdoRE9AexsOwUxH04Dk9oZyon46SSspBx4ZXfos3j11OW0BwBMumNG650M6dxLKA+k7wzAfdq0p7Pu5pEeXg+tWtIt5iTVbXsnZKPOFU52mWwcI/aU1Iwv0UpPlaYOAV7Rfp978z15cFehJaGweBmP7c7adnb9z6W34GhFikLLYF28+L8fT+oP8UJFCgUrcV1MQ2KA6rIi28pEh0/GeWjCEjT/7EIrqulHk/z4ohH66pPIiFwRdIcD9n0fxECUSb3JCh0//SJHC2SAmMJWawjB+5pO+rPdoQSM8onFvQ+GKzNwCdJXixTlFOrVp+OfMumeskP+cqEhpd4fJCeLSJtNuVsP/jTNRlTyv+vLtbedM1gEGUdk0y5qg4sV3DjXUJ84LdKPBWTLrGTqsaicCstUD5NJKgVm8xuayBWzWgbOmUP0uqRB60QqF/p7YfUXd/myy11cfNV2Pdjggn+PpEEavNEzPXMkBJrSdl+knbalVK5GNDzho+rbSCckyeo8Zy+QHkOy3itGLA9Cgdrk36ZIMdufZiZj1VQUeaJrSoCDTwTLJIB4l+KvY61MHAejdeayRBKGItYCEQMOs0yld9zOPIlrbiCiSVMvh0xXOK2OzYmNoOuFKN2r2cVhNO+l/iAdQ3G3hmd0PeJv114PlPWQuPhi5IRGbJPyu9gDbCO6r2UokAt5eEfwcvZKscuwhjKW6MwwK4zCJjicDvSEh6AuHUXCbAq4pJgfXOaZu9HaO0rL2fC+62/OspBr0do7jfHMCkjtf14bh8TNkYRHagaBlxqTUP6SOgG3xl6pzXKLa4vVovIvi4zeU8EIRLPBGwz7Kc3CQmmGepRyQnWy8Ixl4qhZerUJqZQGDhOIA+CwoHV1FnfwxbNlOLnzDF1UuFfiHy44/gQeKWdMUDEP7CzyUAqQXya0W32EPS6TRBLzzINHE5Z5Op+Ukb/HQshnHWKidOJ/Qc397cTJT30NL74oyvtyliLtl3CGWDwWWOr+wwqQ9fD3WDmPgoAtDFqKkB3hQdbN+vZhvdFrvSykmWSbu/QxBWsdqA82hKowUA=="}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":83,"candidatesTokenCount":21,"totalTokenCount":282,"promptTokensDetails":[{"modality":"TEXT","tokenCount":83}],"thoughtsTokenCount":178,"serviceTier":"standard"},"modelVersion":"gemini-3.1-pro-preview","responseId":"7uVgavK_CL7yxN8P-aGnkAY"}""",
        """{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":83,"candidatesTokenCount":21,"totalTokenCount":282,"promptTokensDetails":[{"modality":"TEXT","tokenCount":83}],"thoughtsTokenCount":178,"serviceTier":"standard"},"modelVersion":"gemini-3.1-pro-preview","responseId":"7uVgavK_CL7yxN8P-aGnkAY"}""");

    /// <summary>
    /// pydantic/pydantic-ai <c>tests/models/cassettes/test_google/test_google_model_thinking_part_iter.yaml</c>
    /// @ 111dda9bcd3bb8542d24be815343c17ca133e4e8, gemini-2.5-pro with <c>include_thoughts</c>. An EXCERPT: events 1, 2
    /// (thought text) and 21 (the last, with the finish) of 21, unfolded from the cassette's YAML string, CRLF-framed as
    /// recorded. Left out: the answer's 18 other text events, one of which carries a 5 KB signature.
    /// </summary>
    public static readonly string PydanticThinkingStreamExcerpt = SseCrlf(
        """{"candidates": [{"content": {"parts": [{"text": "**Defining the Goal**\n\nI've homed in on the user's need: safe street crossing guidance. It's a straightforward task with clear safety parameters. My focus is now on extracting core safety principles for a successful outcome.\n\n\n","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 34,"totalTokenCount": 104,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 34}],"thoughtsTokenCount": 70},"modelVersion": "gemini-2.5-pro","responseId": "2zR8aYTnEvahz7IPmq6EoQ0"}""",
        """{"candidates": [{"content": {"parts": [{"text": "**Refining the Steps**\n\nI'm now detailing each step, starting with finding a safe crossing point. I've broken down safe and unsafe locations, explaining the reasoning behind each. Next, I'm defining \"edge\" in the second step, clarifying the vantage point. The goal is to provide specific, actionable advice.\n\n\n","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 34,"totalTokenCount": 359,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 34}],"thoughtsTokenCount": 325},"modelVersion": "gemini-2.5-pro","responseId": "2zR8aYTnEvahz7IPmq6EoQ0"}""",
        """{"candidates": [{"content": {"parts": [{"text": ".\n\nBy following these steps, you can greatly reduce the risk of an accident. Stay alert and stay safe"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 34,"candidatesTokenCount": 387,"totalTokenCount": 1180,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 34}],"thoughtsTokenCount": 759},"modelVersion": "gemini-2.5-pro","responseId": "2zR8aYTnEvahz7IPmq6EoQ0"}""");

    /// <summary>
    /// pydantic/pydantic-ai <c>tests/models/cassettes/test_google/test_google_streaming_tool_call_thought_signature.yaml</c>
    /// @ 111dda9bcd3bb8542d24be815343c17ca133e4e8, second interaction's response (gemini-3-pro-preview, after a tool result),
    /// complete, CRLF-framed as recorded. The last event's promptTokenCount jumps from 55 to 165: only the last usage counts.
    /// </summary>
    public static readonly string PydanticAfterToolResultStream = SseCrlf(
        """{"candidates": [{"content": {"parts": [{"text": "The capital of Mexico"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 55,"candidatesTokenCount": 4,"totalTokenCount": 59,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 55}]},"modelVersion": "gemini-3-pro-preview","responseId": "S1V8aZK2NpGKqtsPvPuEqAw"}""",
        """{"candidates": [{"content": {"parts": [{"text": " is Mexico City."}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 55,"candidatesTokenCount": 8,"totalTokenCount": 63,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 55}]},"modelVersion": "gemini-3-pro-preview","responseId": "S1V8aZK2NpGKqtsPvPuEqAw"}""",
        """{"candidates": [{"content": {"parts": [{"text": ""}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 165,"candidatesTokenCount": 8,"totalTokenCount": 173,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 165}]},"modelVersion": "gemini-3-pro-preview","responseId": "S1V8aZK2NpGKqtsPvPuEqAw"}""");

    /// <summary>vercel/ai <c>packages/google/src/__fixtures__/issue-19758-prompt-block.json</c> @ 5b80b38abc36784a7042ebe75fcb58ea19da5642 (gemini-3.7-flash).</summary>
    public const string VercelPromptBlock = """
        {
          "promptFeedback": {
            "blockReason": "PROHIBITED_CONTENT"
          },
          "usageMetadata": {
            "promptTokenCount": 9,
            "totalTokenCount": 9,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 9
              }
            ],
            "serviceTier": "standard"
          },
          "modelVersion": "gemini-3.7-flash",
          "responseId": "EXCPaojyHaDUjMcP656rqAk"
        }
        """;

    /// <summary>vercel/ai <c>packages/google/src/__fixtures__/issue-19758-prompt-block.chunks.txt</c> @ 5b80b38abc36784a7042ebe75fcb58ea19da5642.</summary>
    public static readonly string VercelPromptBlockStream = Sse(
        """{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9,"promptTokensDetails":[{"modality":"TEXT","tokenCount":9}],"serviceTier":"standard"},"modelVersion":"gemini-3.7-flash","responseId":"EXCPatOAKMrQjMcPteHVmQo"}""");

    /// <summary>vercel/ai <c>packages/google/src/__fixtures__/google-429-retry-info.json</c> @ 52173efe9aaa0675e1b7e597c4bfa61b28e02a1a.</summary>
    public const string Vercel429RetryInfo = """
        {
          "error": {
            "code": 429,
            "message": "You exceeded your current quota, please check your plan.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
              {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [
                  {
                    "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
                  }
                ]
              },
              {
                "@type": "type.googleapis.com/google.rpc.RetryInfo",
                "retryDelay": "34.4s"
              }
            ]
          }
        }
        """;

    /// <summary>
    /// vercel/ai <c>packages/google/src/__fixtures__/google-gemini-3.7-flash-thinking-levels.json</c>
    /// @ 82d3bb76e77f9a0a283c1e61badc3c5b0509b3e2, the <c>minimal.body</c> recorded with HTTP 400.
    /// </summary>
    public const string VercelThinkingLevel400 = """
        {
          "error": {
            "code": 400,
            "message": "Thinking level MINIMAL is not supported for this model. Please retry with other thinking level.",
            "status": "INVALID_ARGUMENT"
          }
        }
        """;

    private static string Sse(params string[] events) => string.Concat(events.Select(e => "data: " + e + "\n\n"));

    private static string SseCrlf(params string[] events) => string.Concat(events.Select(e => "data: " + e + "\r\n\r\n"));
}
