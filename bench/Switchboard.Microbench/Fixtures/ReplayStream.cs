namespace Switchboard.Microbench.Fixtures;

/// <summary>
/// A read-only stream that hands out recorded segments one read at a time, the way a socket delivers a provider
/// that flushes every event as it is generated. Reads complete synchronously, so no I/O is measured.
/// </summary>
internal sealed class ReplayStream(byte[][] segments) : Stream
{
    private int _segment;
    private int _offset;

    /// <summary>Rewinds to the first segment, so one instance serves every benchmark invocation.</summary>
    public void Rewind() => (_segment, _offset) = (0, 0);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_segment == segments.Length)
        {
            return 0;
        }
        var source = segments[_segment].AsSpan(_offset);
        var count = Math.Min(source.Length, buffer.Length);
        source[..count].CopyTo(buffer);
        _offset += count;
        if (_offset == segments[_segment].Length)
        {
            (_segment, _offset) = (_segment + 1, 0);
        }
        return count;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
