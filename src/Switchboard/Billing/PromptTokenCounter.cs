using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Switchboard.Billing;

/// <summary>
/// Counts a request's text with a real tokenizer (o200k, which GPT-4o and later OpenAI models use), for the one
/// case where it matters: the byte bound of <see cref="PromptBound"/> is what stands between a request and a 402.
/// Tokenizing costs about 60 ms a megabyte, so it is never done otherwise. It reads the decoded string values
/// outside media payloads and adds structure (3 tokens an object, 1 a number or literal); a run of more than
/// <see cref="LongRun"/> characters without whitespace is counted by its bytes instead, so a megabyte of one
/// repeated letter, or of base64 posing as text, costs a scan and not a tokenizer pass. One count runs at a time,
/// and a body larger than <see cref="MaxTextBytes"/> is not counted, so the path costs bounded CPU.
/// </summary>
internal sealed partial class PromptTokenCounter(ILogger<PromptTokenCounter> logger) : IDisposable
{
    public const int LongRun = 64;
    public const long MaxTextBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(2);

    private readonly Task<TiktokenTokenizer?> _tokenizer = Task.Run(() => Load(logger));
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Text tokens of the body by o200k, or null when it is too large, the counter is busy, or the caller left.</summary>
    public async ValueTask<long?> CountAsync(ReadOnlyMemory<byte> body, PromptShape shape, CancellationToken cancellationToken)
    {
        if (shape.TextBytes > MaxTextBytes)
        {
            return null;
        }
        try
        {
            if (!await _turn.WaitAsync(TurnTimeout, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        try
        {
            var tokenizer = await _tokenizer.WaitAsync(TurnTimeout, cancellationToken).ConfigureAwait(false);
            return tokenizer is null ? null : Count(tokenizer, body.Span, shape.MediaPayloads);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            return null;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Tokens of each text by o200k (long runs by their bytes, as for a prompt), for a provider that reports no usage;
    /// null when the counter is busy, the texts are too large, or the caller left.
    /// </summary>
    public async ValueTask<long[]?> CountTextsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        long bytes = 0;
        foreach (var text in texts)
        {
            bytes += text.Length;
        }
        if (bytes > MaxTextBytes)
        {
            return null;
        }
        try
        {
            if (!await _turn.WaitAsync(TurnTimeout, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        try
        {
            if (await _tokenizer.WaitAsync(TurnTimeout, cancellationToken).ConfigureAwait(false) is not { } tokenizer)
            {
                return null;
            }
            var counts = new long[texts.Count];
            var builder = new StringBuilder();
            for (var i = 0; i < texts.Count; i++)
            {
                builder.Clear();
                var longRuns = Append(builder, texts[i]);
                builder.Length--; // the separator Append adds after a value
                counts[i] = tokenizer.CountTokens(builder.ToString()) + longRuns;
            }
            return counts;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            return null;
        }
        finally
        {
            _turn.Release();
        }
    }

    internal static long Count(Tokenizer tokenizer, ReadOnlySpan<byte> body, IReadOnlyList<Range> mediaPayloads)
    {
        var text = new StringBuilder();
        long structure = 0;
        long longRunBytes = 0;
        var media = 0;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                var start = (int)reader.TokenStartIndex;
                while (media < mediaPayloads.Count && mediaPayloads[media].End.Value <= start)
                {
                    media++;
                }
                if (media < mediaPayloads.Count && mediaPayloads[media].Start.Value == start)
                {
                    continue; // a media payload: priced per part, not as text
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        longRunBytes += Append(text, reader.GetString()!);
                        break;
                    case JsonTokenType.StartObject:
                        structure += 3;
                        break;
                    case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                        structure++;
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Validated before; what was read is counted and the rest is not reachable.
        }
        return tokenizer.CountTokens(text.ToString()) + longRunBytes + structure;
    }

    /// <summary>Appends <paramref name="value"/> but for its long runs, whose UTF-8 bytes it returns.</summary>
    private static long Append(StringBuilder text, string value)
    {
        long skipped = 0;
        var span = value.AsSpan();
        var runStart = 0;
        for (var i = 0; i <= span.Length; i++)
        {
            if (i < span.Length && !char.IsWhiteSpace(span[i]))
            {
                continue;
            }
            var run = span[runStart..i];
            if (run.Length > LongRun)
            {
                skipped += Encoding.UTF8.GetByteCount(run);
            }
            else
            {
                text.Append(run);
            }
            if (i < span.Length)
            {
                text.Append(span[i]);
            }
            runStart = i + 1;
        }
        text.Append(' ');
        return skipped;
    }

    public void Dispose() => _turn.Dispose();

    private static TiktokenTokenizer? Load(ILogger logger)
    {
        try
        {
            return TiktokenTokenizer.CreateForEncoding("o200k_base");
        }
        catch (Exception ex)
        {
            Log.LoadFailed(logger, ex);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Could not load the o200k tokenizer; credit holds use the byte bound alone.")]
        public static partial void LoadFailed(ILogger logger, Exception exception);
    }
}
