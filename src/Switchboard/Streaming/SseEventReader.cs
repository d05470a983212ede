using System.Buffers;
using System.Runtime.CompilerServices;

namespace Switchboard.Streaming;

/// <summary>
/// Splits an upstream <c>text/event-stream</c> into events without copying: it scans a pooled buffer for blank
/// lines (LF, CRLF or CR line ends, as the SSE spec allows) and hands out slices. Comment lines are dropped.
/// A multi-line <c>data</c> field is the one case that is copied, to join its lines.
/// </summary>
internal sealed class SseEventReader(Stream stream, int maxEventBytes = 16 * 1024 * 1024) : IDisposable
{
    private const int InitialSize = 16 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;
    private byte[]? _joined;
    private bool _eof;

    /// <summary>Reads more bytes from the upstream. Returns false at end of stream. Await the result once.</summary>
    /// <remarks>
    /// Called once per upstream read, and a read that waits for the network completes asynchronously: a pooled
    /// builder reuses the state machine box rather than allocating one per read (per event, for a provider that
    /// flushes each token).
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
        {
            return false;
        }
        if (_start > 0 && _start == _end)
        {
            _start = _end = 0;
        }
        if (_end == _buffer.Length)
        {
            MakeRoom();
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _end += read;
        return true;
    }

    /// <summary>Takes the next complete event from what has been read; at end of stream, a final unterminated one too.</summary>
    public bool TryReadEvent(out SseEvent sseEvent)
    {
        while (true)
        {
            if (!TryTakeEventBlock(out var block))
            {
                sseEvent = default;
                return false;
            }
            if (Parse(block, out sseEvent))
            {
                return true;
            }
        }
    }

    private bool TryTakeEventBlock(out Memory<byte> block)
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        var position = 0;
        while (position < span.Length)
        {
            var lineEnd = span[position..].IndexOfAny((byte)'\n', (byte)'\r');
            if (lineEnd < 0)
            {
                break;
            }
            var terminator = position + lineEnd;
            var next = terminator + 1;
            if (span[terminator] == '\r')
            {
                if (next == span.Length && !_eof)
                {
                    break; // a CR at the edge may be half of a CRLF
                }
                if (next < span.Length && span[next] == '\n')
                {
                    next++;
                }
            }
            if (lineEnd == 0)
            {
                block = _buffer.AsMemory(_start, position);
                _start += next;
                return true;
            }
            position = next;
        }
        if (_eof && _end > _start)
        {
            block = _buffer.AsMemory(_start, _end - _start);
            _start = _end;
            return true;
        }
        block = default;
        return false;
    }

    private bool Parse(Memory<byte> block, out SseEvent sseEvent)
    {
        ReadOnlyMemory<byte> name = default, data = default;
        var dataLines = 0;
        var rest = block;
        while (!rest.IsEmpty)
        {
            var span = rest.Span;
            var end = span.IndexOfAny((byte)'\n', (byte)'\r');
            var line = end < 0 ? rest : rest[..end];
            var skip = end < 0 ? rest.Length : end + (span[end] == '\r' && end + 1 < span.Length && span[end + 1] == '\n' ? 2 : 1);
            rest = rest[skip..];

            var text = line.Span;
            if (text.IsEmpty || text[0] == ':')
            {
                continue;
            }
            var colon = text.IndexOf((byte)':');
            var field = colon < 0 ? text : text[..colon];
            var valueStart = colon < 0 ? line.Length : colon + 1 + (colon + 1 < text.Length && text[colon + 1] == ' ' ? 1 : 0);
            var value = line[valueStart..];
            if (field.SequenceEqual("data"u8))
            {
                data = dataLines++ == 0 ? value : Join(data, value);
            }
            else if (field.SequenceEqual("event"u8))
            {
                name = value;
            }
        }
        sseEvent = new SseEvent(name, data);
        return dataLines > 0;
    }

    private ReadOnlyMemory<byte> Join(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> next)
    {
        var length = first.Length + 1 + next.Length;
        var joined = _joined is { } existing && existing.Length >= length ? existing : new byte[Math.Max(length, 1024)];
        first.Span.CopyTo(joined);
        joined[first.Length] = (byte)'\n';
        next.Span.CopyTo(joined.AsSpan(first.Length + 1));
        _joined = joined;
        return joined.AsMemory(0, length);
    }

    private void MakeRoom()
    {
        var used = _end - _start;
        if (_start > 0 && used < _buffer.Length / 2)
        {
            _buffer.AsSpan(_start, used).CopyTo(_buffer);
        }
        else
        {
            if (_buffer.Length * 2 > maxEventBytes)
            {
                throw new InvalidDataException($"An upstream event exceeded {maxEventBytes} bytes.");
            }
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(_start, used).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        _start = 0;
        _end = used;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
