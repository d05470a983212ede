using Switchboard.Catalog;

namespace Switchboard.Billing;

/// <summary>
/// The most prompt tokens one input image can cost on a model. Providers scale images down before they count
/// them, so every image has a ceiling whatever its size: the catalog's <c>image_tokens</c> when the model sets it
/// (GPT-4o mini's multiplied tiles, GPT-4.1 mini's patches), else its tokenizer family's, from each provider's own
/// formula. These are the same ceilings OpenRouter prices input images at.
/// </summary>
internal static class MediaTokens
{
    /// <summary>OpenAI's tiles at high detail: 85 + 170 per 512 px tile, at most 8 tiles once scaled to 2048 × 768.</summary>
    public const int Gpt = 1_445;

    /// <summary>Anthropic: width × height / 750, for images it scales down to about 1.15 megapixels.</summary>
    public const int Claude = 1_600;

    /// <summary>Gemini: 258 per 768 × 768 tile, up to 16 tiles.</summary>
    public const int Gemini = 4_128;

    /// <summary>Other families (Llama, Qwen, Mistral, Grok…): Gemini's ceiling, the largest of the documented ones.</summary>
    public const int Other = Gemini;

    public static int PerImage(CatalogModel model) => model.ImageTokens ?? model.Tokenizer switch
    {
        "GPT" => Gpt,
        "Claude" => Claude,
        "Gemini" => Gemini,
        _ => Other,
    };
}
