using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MeTAI.Robotics.Audit;

/// <summary>
/// Append-only, hash-chained audit log: one JSON object per line,
/// <c>{"seq":N,"utc":"…","mono":ticks,"cycle":C,"kind":"…",…fields…,"prev":"sha256 of the previous line"}</c>.
/// The first line's <c>prev</c> is 64 zeros. Editing, deleting or reordering any line breaks the chain
/// (<see cref="AuditVerifier"/>); a clean shutdown appends a <c>close</c> record so a cut-off tail shows too.
/// Writes happen on a background thread; <see cref="Write"/> never blocks the control loop.
/// Re-opening an existing log continues its chain.
/// </summary>
public sealed class AuditLog : IAuditSink, IDisposable
{
    /// <summary>The <c>prev</c> value of the first record.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private readonly BlockingCollection<AuditEvent> _queue = new(new ConcurrentQueue<AuditEvent>());
    private readonly FileStream _file;
    private readonly Thread _writer;
    private string _prevHash;
    private long _seq;
    private bool _disposed;

    /// <summary>Opens (or creates) the log at <paramref name="path"/>.</summary>
    public AuditLog(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        string? dir = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        (_seq, _prevHash) = ReadTail(Path);
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "audit-log" };
        _writer.Start();
        Write(new AuditEvent("start", -1, Stopwatch.GetTimestamp(), [new("pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
    }

    /// <summary>Full path of the log.</summary>
    public string Path { get; }

    /// <summary>Records written so far (including earlier sessions).</summary>
    public long Count => Interlocked.Read(ref _seq);

    /// <inheritdoc />
    public void Write(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (!_queue.IsAddingCompleted)
        {
            _queue.Add(auditEvent);
        }
    }

    /// <summary>Waits until every queued record is on disk (tests, shutdown).</summary>
    public void Flush(TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(5);
        while (_queue.Count > 0 && sw.Elapsed < limit)
        {
            Thread.Sleep(2);
        }

        lock (_file)
        {
            _file.Flush(true);
        }
    }

    private void WriteLoop()
    {
        foreach (AuditEvent e in _queue.GetConsumingEnumerable())
        {
            string line = Format(e, _seq + 1, _prevHash);
            byte[] bytes = Encoding.UTF8.GetBytes(line);
            lock (_file)
            {
                _file.Write(bytes);
                _file.WriteByte((byte)'\n');
                _file.Flush();
            }

            _prevHash = HashLine(bytes);
            Interlocked.Increment(ref _seq);
        }
    }

    /// <summary>Formats one record (fields in a fixed order; <c>prev</c> last).</summary>
    public static string Format(AuditEvent e, long seq, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("seq", seq);
            w.WriteString("utc", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("mono", e.MonotonicTicks);
            w.WriteNumber("cycle", e.Cycle);
            w.WriteString("kind", e.Kind);
            foreach (KeyValuePair<string, string> f in e.Fields)
            {
                w.WriteString(f.Key, f.Value);
            }

            w.WriteString("prev", prevHash);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Lower-case hex SHA-256 of a line's UTF-8 bytes (without its newline).</summary>
    public static string HashLine(ReadOnlySpan<byte> lineUtf8) => Convert.ToHexStringLower(SHA256.HashData(lineUtf8));

    private static (long Seq, string Prev) ReadTail(string path)
    {
        if (!File.Exists(path))
        {
            return (0, Genesis);
        }

        string? last = null;
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length > 0)
            {
                last = line;
            }
        }

        if (last is null)
        {
            return (0, Genesis);
        }

        using JsonDocument doc = JsonDocument.Parse(last);
        return (doc.RootElement.GetProperty("seq").GetInt64(), HashLine(Encoding.UTF8.GetBytes(last)));
    }

    /// <summary>Writes a <c>close</c> record, drains the queue and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Write(new AuditEvent("close", -1, Stopwatch.GetTimestamp(), []));
        _queue.CompleteAdding();
        _writer.Join(5000);
        _file.Flush(true);
        _file.Dispose();
        _queue.Dispose();
    }
}
