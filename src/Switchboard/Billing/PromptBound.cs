using Switchboard.Catalog;

namespace Switchboard.Billing;

/// <summary>
/// The prompt tokens a request can cost on one endpoint, from its <see cref="PromptShape"/>. <see cref="Tokens"/>
/// is the hold's figure, an upper bound: text at one token per byte (or a tokenizer's count with the model's
/// margin), each image at the most one image can cost on that model, PDF pages at an image plus a page of text,
/// and no more than the model's context. <see cref="Estimate"/> is what a generation whose provider never reported
/// usage is charged: text at four bytes a token, media as above.
/// </summary>
internal static class PromptBound
{
    /// <summary>Template tokens a provider adds around a conversation (role markers, the reply's start).</summary>
    public const int FixedOverhead = 16;

    /// <summary>
    /// A system prompt some providers add when tools are declared: Anthropic's is 346 tokens for Claude 4 models,
    /// and a JSON schema answered through a forced tool costs the same. Declared generously for all.
    /// </summary>
    public const int ToolOverhead = 600;

    /// <summary>Text tokens of one PDF page, besides its image: Anthropic documents 1,500 to 3,000 per page.</summary>
    public const int PdfPageTextTokens = 3_000;

    /// <summary>
    /// Audio tokens per decoded byte: Gemini counts 32 tokens a second, and speech compressed to its lowest common
    /// rate (6 kbit/s) is 750 bytes a second; one token per 15 bytes covers 50 tokens a second at that rate.
    /// </summary>
    public const int AudioBytesPerToken = 15;

    /// <summary>
    /// How much more than o200k a model's own tokenizer may count for the same text: none for GPT models (o200k is
    /// theirs), 1.6× for Claude (measured 1.15–1.35× on English and code, more with Opus 4.7's tokenizer), 1.5× for
    /// the rest (Llama, Gemini, Mistral, Qwen, DeepSeek measure 1.0–1.3×). Scripts a tokenizer handles badly can
    /// exceed it; the byte bound still caps the hold, and any excess shows as uncollected, never as overspend.
    /// </summary>
    public static decimal TokenizerMargin(CatalogModel model) => model.Tokenizer switch
    {
        "GPT" => 1.0m,
        "Claude" => 1.6m,
        _ => 1.5m,
    };

    public static long Tokens(PromptShape shape, CatalogEndpoint endpoint, long? countedText = null) =>
        Total(shape, endpoint, countedText ?? shape.TextBytes);

    public static long Estimate(PromptShape shape, CatalogEndpoint endpoint) =>
        Total(shape, endpoint, TokenEstimator.FromBytes(shape.TextBytes));

    /// <summary>
    /// The <see cref="Estimate"/> on <paramref name="model"/> without the context cap, and with media whose size the
    /// request does not reveal counted as nothing: what <c>openrouter/auto</c> compares with a model's context length.
    /// </summary>
    public static long Expected(PromptShape shape, Catalog.CatalogModel model) =>
        Sized(shape, model, TokenEstimator.FromBytes(shape.TextBytes));

    private static long Total(PromptShape shape, CatalogEndpoint endpoint, long text)
    {
        var context = endpoint.ContextBound;
        if (shape.UnsizedMedia > 0)
        {
            return context;
        }
        return Math.Min(Sized(shape, endpoint.Model, text), context);
    }

    private static long Sized(PromptShape shape, Catalog.CatalogModel model, long text)
    {
        var image = MediaTokens.PerImage(model);
        var media = shape.Images * image
            + shape.PdfPages * (image + PdfPageTextTokens)
            + shape.FileTextBytes
            + (shape.AudioBytes + AudioBytesPerToken - 1) / AudioBytesPerToken;
        return text + media + FixedOverhead + (shape.HasTools ? ToolOverhead : 0);
    }
}
