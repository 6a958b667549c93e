using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MeTAI.Robotics.Audit;

namespace MeTAI.Service.Audit;

/// <summary>
/// Appends records to a hash-chained audit log in the controller's format (<see cref="AuditLog.Format"/>: one JSON
/// object per line, <c>seq</c> one more than the line before, <c>prev</c> the SHA-256 of the line before) that more
/// than one process writes — the running service and <c>metai users …</c>. Each append takes an exclusive lock on
/// <c>FILE.lock</c> (an advisory <c>flock</c>, which .NET takes on Unix for <see cref="FileShare.None"/>; other
/// writers wait for it), reads the last record from the file itself, writes the next one and lets go; so whoever
/// writes, the chain continues from the line actually last in the file and <c>metai audit verify</c> holds.
/// </summary>
public sealed class ChainedAuditFile
{
    /// <summary>How long an append waits for another writer's lock before it fails.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();

    /// <summary>A writer of the log at <paramref name="path"/> (created at the first append).</summary>
    public ChainedAuditFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The log.</summary>
    public string Path { get; }

    /// <summary>The lock file beside it.</summary>
    public string LockPath => Path + ".lock";

    /// <summary>Appends <paramref name="kind"/> with <paramref name="fields"/> (in order) as the next record; its sequence number.</summary>
    /// <exception cref="IOException">Another writer held the lock longer than <see cref="LockTimeout"/>, or the log's last line is not a record.</exception>
    public long Append(string kind, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(fields);
        lock (_gate)
        {
            using FileStream held = AcquireLock();
            using var log = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            (long seq, string prev) = Tail(log);
            string line = AuditLog.Format(new AuditEvent(kind, -1, Stopwatch.GetTimestamp(), fields), seq + 1, prev);
            byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
            log.Seek(0, SeekOrigin.End);
            log.Write(bytes);
            log.Flush(flushToDisk: true);
            return seq + 1;
        }
    }

    private FileStream AcquireLock()
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (sw.Elapsed < LockTimeout)
            {
                Thread.Sleep(Random.Shared.Next(2, 12));
            }
            catch (IOException ex)
            {
                throw new IOException($"{LockPath}: another writer of {Path} has held the lock for {LockTimeout.TotalSeconds:0} s; the record was not written ({ex.Message}).", ex);
            }
        }
    }

    /// <summary>The last record's <c>seq</c> and the hash of its line (0 and the genesis hash for an empty log).</summary>
    private (long Seq, string Prev) Tail(FileStream log)
    {
        long length = log.Length;
        if (length == 0)
        {
            return (0, AuditLog.Genesis);
        }

        // Read backwards in growing windows until the window holds the whole last line.
        for (int window = 4096; ; window *= 4)
        {
            long start = Math.Max(0, length - window);
            var buffer = new byte[length - start];
            log.Seek(start, SeekOrigin.Begin);
            log.ReadExactly(buffer);
            if (buffer[^1] != (byte)'\n')
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture,
                    $"{Path}: the last line (ending at byte {length}) has no newline: a record was cut off; check the log with 'metai audit verify {Path}' before writing to it again."));
            }

            int end = buffer.Length - 1;
            int newline = end == 0 ? -1 : Array.LastIndexOf(buffer, (byte)'\n', end - 1);
            if (newline < 0 && start > 0)
            {
                continue;
            }

            ReadOnlySpan<byte> last = buffer.AsSpan(newline + 1, end - newline - 1);
            try
            {
                using JsonDocument doc = JsonDocument.Parse(last.ToArray());
                return (doc.RootElement.GetProperty("seq").GetInt64(), AuditLog.HashLine(last));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture,
                    $"{Path}: the last line (from byte {start + newline + 1}) is not an audit record ({ex.Message}); check the log with 'metai audit verify {Path}'."), ex);
            }
        }
    }
}
