namespace Switchboard.Billing;

/// <summary>
/// What a chat request puts in front of the model, measured from its bytes for the credit hold
/// (<see cref="PromptShapeReader"/>). Text is counted in bytes: every tokenizer in use (byte-level BPE, or
/// SentencePiece with byte fallback) spends at least one byte of input per token, so the body's bytes bound the
/// tokens of everything it says, markup included. Media are counted per part, never by the length of their
/// payload, and only where the request's structure makes them media: a string that merely starts with
/// <c>data:</c> is text like any other.
/// </summary>
internal sealed class PromptShape
{
    public static readonly PromptShape Empty = new();

    /// <summary>Bytes of the body outside media payloads: an upper bound on the tokens of its text.</summary>
    public long TextBytes { get; init; }

    /// <summary>Image parts (<c>image_url</c>, or a file that is an image).</summary>
    public int Images { get; init; }

    /// <summary>Pages of the inline PDFs.</summary>
    public int PdfPages { get; init; }

    /// <summary>Decoded bytes of inline text files (plain text, CSV, JSON…), which providers read as text.</summary>
    public long FileTextBytes { get; init; }

    /// <summary>Decoded bytes of <c>input_audio</c> parts.</summary>
    public long AudioBytes { get; init; }

    /// <summary>
    /// Media whose size the request does not reveal: a file by id or URL, a video, a PDF whose pages could not be
    /// found. The prompt is then bounded only by the model's context length.
    /// </summary>
    public int UnsizedMedia { get; init; }

    /// <summary>File parts that are not images (PDFs, text files, files by id or URL): a model needs <c>file</c> input for them.</summary>
    public int Files { get; init; }

    /// <summary><c>video_url</c> parts.</summary>
    public int Videos { get; init; }

    /// <summary>The request declares tools or a JSON schema, which some providers render into a system prompt of their own.</summary>
    public bool HasTools { get; init; }

    /// <summary>Where the media payloads sit in the body, in order: the text a tokenizer reads is everything else.</summary>
    public IReadOnlyList<Range> MediaPayloads { get; init; } = [];
}
