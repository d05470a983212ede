namespace Switchboard.Requests;

/// <summary>
/// OpenRouter's <c>input_type</c>: what the text is for, which some embedding models use to embed queries and
/// documents differently. Gemini takes it as <c>taskType</c>; the OpenAI-compatible hosts in the catalog have no
/// such field, so it is not sent to them. Both the common names and Gemini's own are accepted.
/// </summary>
internal static class EmbeddingInputTypes
{
    private static readonly Dictionary<string, string> GeminiTaskTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["query"] = "RETRIEVAL_QUERY",
        ["search_query"] = "RETRIEVAL_QUERY",
        ["retrieval_query"] = "RETRIEVAL_QUERY",
        ["document"] = "RETRIEVAL_DOCUMENT",
        ["passage"] = "RETRIEVAL_DOCUMENT",
        ["search_document"] = "RETRIEVAL_DOCUMENT",
        ["retrieval_document"] = "RETRIEVAL_DOCUMENT",
        ["semantic_similarity"] = "SEMANTIC_SIMILARITY",
        ["similarity"] = "SEMANTIC_SIMILARITY",
        ["classification"] = "CLASSIFICATION",
        ["clustering"] = "CLUSTERING",
        ["question_answering"] = "QUESTION_ANSWERING",
        ["fact_verification"] = "FACT_VERIFICATION",
        ["code_retrieval_query"] = "CODE_RETRIEVAL_QUERY",
    };

    public static string Accepted => string.Join(", ", GeminiTaskTypes.Keys);

    /// <summary>Gemini's <c>taskType</c> for <paramref name="inputType"/>; null when it is not one the gateway knows.</summary>
    public static string? GeminiTaskType(string inputType) => GeminiTaskTypes.GetValueOrDefault(inputType);
}
