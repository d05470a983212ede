using Microsoft.AspNetCore.Http;
using Switchboard.Chat;
using Switchboard.Requests;

namespace Switchboard.Tests.Requests;

/// <summary>
/// The chat body reader on a fake connection: its buffer follows the bytes that arrive, never the length a client
/// announces, and the size limit still holds.
/// </summary>
public sealed class RequestBodyTests
{
    private const long MaxBytes = 32 * 1024 * 1024;

    [Fact]
    public async Task Announcing_32_MiB_and_sending_a_kilobyte_holds_a_buffer_the_size_of_the_first_read_not_the_announcement()
    {
        var sent = Bytes(1024);

        using var body = await ReadAsync(sent, announced: MaxBytes);

        Assert.NotNull(body);
        Assert.Equal(sent, body.Memory.ToArray());
        Assert.True(body.Capacity <= RequestBody.InitialCapacity, $"a {body.Capacity}-byte buffer for 1 KiB");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3_000_000L)]
    public async Task A_large_body_grows_the_buffer_as_it_arrives_and_keeps_every_byte(long? announced)
    {
        var sent = Bytes(3_000_000);

        using var body = await ReadAsync(sent, announced);

        Assert.NotNull(body);
        Assert.Equal(sent, body.Memory.ToArray());
        // Doubling as bytes arrive, capped by an honest announcement: never more than twice what came.
        Assert.InRange(body.Capacity, sent.Length, 2 * sent.Length);
    }

    [Fact]
    public async Task A_small_announced_body_gets_a_buffer_of_about_its_size()
    {
        var sent = Bytes(300);

        using var body = await ReadAsync(sent, announced: 300);

        Assert.Equal(sent, body!.Memory.ToArray());
        Assert.True(body.Capacity <= 512, $"a {body.Capacity}-byte buffer for 300 bytes");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(MaxBytes + 1)]
    public async Task A_body_over_the_limit_is_refused_whether_announced_or_not(long? announced)
    {
        using var body = await ReadAsync(new TrickleStream(MaxBytes + 1), announced);

        Assert.Null(body);
    }

    private static Task<RequestBody?> ReadAsync(byte[] sent, long? announced) => ReadAsync(new TrickleStream(sent), announced);

    private static async Task<RequestBody?> ReadAsync(Stream stream, long? announced)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = stream;
        context.Request.ContentLength = announced;
        return await RequestBody.ReadAsync(context.Request, MaxBytes, CancellationToken.None);
    }

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A body arriving a few kilobytes at a time, as over a network; with a length only, zeros.</summary>
    private sealed class TrickleStream : Stream
    {
        private const int Chunk = 8 * 1024;
        private readonly byte[]? _bytes;
        private readonly long _length;
        private long _position;

        public TrickleStream(byte[] bytes) : this(bytes.LongLength) => _bytes = bytes;

        public TrickleStream(long length) => _length = length;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(Math.Min(buffer.Length, Chunk), _length - _position);
            if (_bytes is null)
            {
                buffer[..count].Clear();
            }
            else
            {
                _bytes.AsSpan((int)_position, count).CopyTo(buffer);
            }
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
