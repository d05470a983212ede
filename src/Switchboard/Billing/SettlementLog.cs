using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Switchboard.Data;

namespace Switchboard.Billing;

/// <summary>
/// This process's settlement log: every completed generation's entry is appended here, a line written with
/// <c>pwrite</c> (shared by the appends that arrive together), before the client receives its last bytes, so a
/// process killed afterwards (SIGKILL, OOM) has not lost it; the journal then writes it to the store at its own pace.
/// The log lives beside the SQLite file (<c>switchboard.db.settlements/</c>), where every process that can reclaim
/// this one can read it; whoever replays it (<see cref="SettlementLogReplay"/>) knows it is dead because the
/// operating system has released its locks.
/// <para>
/// The log is a run of segments, each a file of JSON lines. Each batch the journal takes seals the segment being
/// written and starts another; a sealed segment is deleted once everything in it is committed. Every segment stays
/// open and exclusively locked (<c>flock</c>) until deleted, so no other process can replay a segment whose entries
/// this one may still commit.
/// </para>
/// </summary>
internal sealed partial class SettlementLog : IDisposable
{
    private const string Extension = ".log";
    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string? _directory;
    private readonly string _prefix = RandomNumberGenerator.GetHexString(16, lowercase: true);
    private readonly ILogger _logger;
    private readonly Lock _write = new();
    private readonly ConcurrentQueue<Line> _pending = new();
    private readonly ArrayBufferWriter<byte> _combined = new(16 * 1024);
    private readonly List<Line> _batch = [];
    private readonly Queue<Segment> _sealed = new();
    private Segment? _current;
    private int _segments;
    private bool _failing;
    private bool _closed;

    public SettlementLog(BillingOptions billing, DatabaseOptions database, ILogger<SettlementLog> logger)
    {
        Durability = DurabilityOf(billing, database);
        _logger = logger;
        if (database.SqliteFile() is { } file)
        {
            Directory = $"{file}.settlements";
            if (Durability == ChargeDurability.Log)
            {
                _directory = Directory;
                System.IO.Directory.CreateDirectory(_directory);
                _current = TryOpen(_directory);
            }
        }
    }

    /// <summary>How completed responses are made durable (<see cref="BillingOptions.Durability"/>, or the store's default).</summary>
    public ChargeDurability Durability { get; }

    /// <summary>
    /// Where the settlement logs of every process sharing this SQLite file live (null on PostgreSQL and in memory),
    /// whether or not this one writes one: a process started without the log still replays those of dead ones.
    /// </summary>
    public string? Directory { get; }

    /// <summary>
    /// The log needs a SQLite file: its segments must be readable by every process that can reclaim this one, and
    /// those are the processes on this machine. PostgreSQL's replicas run elsewhere, so there the commit is the durable step.
    /// </summary>
    public static ChargeDurability DurabilityOf(BillingOptions billing, DatabaseOptions database) =>
        billing.Durability ?? (database.SqliteFile() is not null ? ChargeDurability.Log : ChargeDurability.Commit);

    /// <summary>Whether <paramref name="path"/> is one of this process's own segments.</summary>
    public bool Owns(string path) => Path.GetFileName(path).StartsWith(_prefix, StringComparison.Ordinal);

    public static bool IsSegment(string path) => path.EndsWith(Extension, StringComparison.Ordinal);

    /// <summary>
    /// Appends the entry (already given its journal position); false when the disk refused it (full, gone
    /// read-only), in which case the caller must make the entry durable another way: by waiting for its commit.
    /// Appends that arrive together are written together: each queues its line, and whichever holds the write lock
    /// writes every queued line in one <c>pwrite</c> (flat combining), so under load the system calls and the lock's
    /// hand-overs are shared; alone, an append writes its own line at once.
    /// </summary>
    public bool TryAppend(GenerationEntry entry)
    {
        if (_directory is null)
        {
            return false;
        }
        // The line is this thread's, which nothing else touches until this call returns.
        var line = Line.Of(entry);
        _pending.Enqueue(line);
        lock (_write)
        {
            if (!line.Done)
            {
                WritePending(_directory);
            }
        }
        return line.Written;
    }

    /// <summary>Writes every queued line at the end of the segment in one write. Under the write lock.</summary>
    private void WritePending(string directory)
    {
        _combined.ResetWrittenCount();
        _batch.Clear();
        var last = 0L;
        while (_pending.TryDequeue(out var line))
        {
            _combined.Write(line.Bytes);
            last = Math.Max(last, line.Sequence);
            _batch.Add(line);
        }
        var written = false;
        if (!_closed)
        {
            try
            {
                var segment = _current ??= Open(directory); // only if opening it ahead failed
                // One write at the end of what is there. A failed write leaves the length where it was, so the next
                // one overwrites whatever part of it reached the file: only a torn last line can remain, which replay skips.
                RandomAccess.Write(segment.Handle, _combined.WrittenSpan, segment.Length);
                segment.Length += _combined.WrittenCount;
                segment.Last = Math.Max(segment.Last, last);
                written = true;
                if (_failing)
                {
                    _failing = false;
                    Log.Recovered(_logger, directory);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (!_failing)
                {
                    _failing = true;
                    Log.AppendFailed(_logger, directory, ex);
                }
            }
        }
        foreach (var line in _batch)
        {
            line.Written = written;
            line.Done = true;
        }
    }

    /// <summary>
    /// Ends the segment being written, if it has anything (the entries in it are then all queued for the journal),
    /// and starts the next. The journal's loop calls it, so creating a file, which a busy file system can make slow,
    /// never holds up a request.
    /// </summary>
    public void Seal()
    {
        if (_directory is null)
        {
            return;
        }
        lock (_write)
        {
            if (_closed || _current is { Length: 0 })
            {
                return;
            }
        }
        if (TryOpen(_directory) is not { } next)
        {
            return; // the current segment grows on, and is sealed next time
        }
        lock (_write)
        {
            if (!_closed)
            {
                if (_current is { } written)
                {
                    _sealed.Enqueue(written);
                }
                _current = next;
                return;
            }
        }
        next.Delete(_logger);
    }

    /// <summary>Deletes every sealed segment whose entries are all committed (journal positions up to <paramref name="committed"/>).</summary>
    public void Release(long committed)
    {
        while (_sealed.TryPeek(out var segment) && segment.Last <= committed)
        {
            _sealed.Dequeue();
            segment.Delete(_logger);
        }
    }

    /// <summary>
    /// At the end of the process: segments whose entries are all committed are deleted; any other is left, unlocked,
    /// for the next process to replay.
    /// </summary>
    public void Close(long committed)
    {
        lock (_write)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            if (_current is { Length: > 0 } written)
            {
                _sealed.Enqueue(written);
            }
            else
            {
                _current?.Delete(_logger); // opened, nothing written yet
            }
            _current = null;
        }
        Release(committed);
        foreach (var left in _sealed)
        {
            Log.LeftForReplay(_logger, left.Path);
            left.Close();
        }
        _sealed.Clear();
    }

    /// <summary>Closes without knowing what was committed: every segment with entries is left for replay, which skips what the store has.</summary>
    public void Dispose() => Close(committed: 0);

    private Segment? TryOpen(string directory)
    {
        try
        {
            return Open(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.OpenFailed(_logger, directory, ex);
            return null;
        }
    }

    private Segment Open(string directory)
    {
        var path = Path.Combine(directory, $"{_prefix}-{++_segments:D8}{Extension}");
        // FileShare.None takes an exclusive flock on Unix: a replayer can lock the file only once this process is gone.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0, // written with RandomAccess: each pwrite carries whole lines
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly; // it may hold the prompts of accounts that store them
        }
        return new Segment(path, new FileStream(path, options));
    }

    /// <summary>
    /// An entry as one JSON line, serialised into a buffer of the calling thread's, outside the write lock, and the
    /// append's state while it waits for whichever append holds the lock (<see cref="Done"/> is set under it). A
    /// thread has one append at a time, so one per thread serves every append it makes, with nothing allocated.
    /// </summary>
    [SuppressMessage("Reliability", "CA1001", Justification = "One per thread, for the thread's life.")]
    private sealed class Line
    {
        [ThreadStatic]
        private static Line? t_line;

        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _json;

        private Line() => _json = new Utf8JsonWriter(_buffer);

        public ReadOnlySpan<byte> Bytes => _buffer.WrittenSpan;

        public long Sequence { get; private set; }

        public bool Done { get; set; }

        public bool Written { get; set; }

        public static Line Of(GenerationEntry entry)
        {
            var line = t_line ??= new Line();
            line._buffer.ResetWrittenCount();
            line._json.Reset(line._buffer);
            LoggedGeneration.Write(line._json, entry);
            line._json.Flush();
            line._buffer.Write("\n"u8);
            line.Sequence = entry.Sequence;
            line.Done = false;
            line.Written = false;
            return line;
        }
    }

    private sealed class Segment(string path, FileStream file)
    {
        public string Path { get; } = path;

        /// <summary>
        /// Taken once: each read of <see cref="FileStream.SafeFileHandle"/> seeks the file to the stream's position,
        /// a system call per append as costly as the write (the stream itself is never read or written).
        /// </summary>
        public SafeFileHandle Handle { get; } = file.SafeFileHandle;
        public long Length { get; set; }

        /// <summary>The journal position of the last entry written to it.</summary>
        public long Last { get; set; }

        /// <summary>Unlinks the file while still holding its lock, so no replayer can open it after, then closes it.</summary>
        public void Delete(ILogger logger)
        {
            try
            {
                File.Delete(Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Its entries are committed: a replayer finds them written and skips them; only the file is left behind.
                Log.DeleteFailed(logger, Path, ex);
            }
            Close();
        }

        public void Close() => file.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Could not append to the settlement log in {Directory}; completed responses wait for their commit instead until it works again.")]
        public static partial void AppendFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(2, LogLevel.Information, "The settlement log in {Directory} works again.")]
        public static partial void Recovered(ILogger logger, string directory);

        [LoggerMessage(3, LogLevel.Warning, "Could not delete the committed settlement log segment {Path}.")]
        public static partial void DeleteFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(5, LogLevel.Warning, "Could not start a settlement log segment in {Directory}; the current one carries on.")]
        public static partial void OpenFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(4, LogLevel.Warning, "Settlement log segment {Path} holds entries the store did not commit; the next process to start replays it.")]
        public static partial void LeftForReplay(ILogger logger, string path);
    }
}
