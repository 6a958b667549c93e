using System.Text;
using System.Text.Json;

namespace MeTAI.Robotics.Audit;

/// <summary>
/// Checks an <see cref="AuditLog"/> file: each line must be a JSON object whose <c>seq</c> is one more than the
/// previous line's (starting at 1) and whose <c>prev</c> is the SHA-256 of the previous line's bytes (64 zeros for
/// the first). Any edit, deletion or reordering therefore shows; a log that does not end in a <c>close</c> record
/// was cut off or is still being written (reported, not an error).
/// </summary>
public static class AuditVerifier
{
    /// <summary>Verifies the file at <paramref name="path"/>.</summary>
    public static AuditVerification Verify(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using FileStream stream = File.OpenRead(path);
        return Verify(stream);
    }

    /// <summary>Verifies a log read from <paramref name="stream"/>.</summary>
    public static AuditVerification Verify(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
        string prev = AuditLog.Genesis;
        long expectedSeq = 1;
        long lineNo = 0;
        string lastKind = "";
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0)
            {
                return Bad(lineNo, "empty line");
            }

            long seq;
            string? linePrev;
            try
            {
                using JsonDocument doc = JsonDocument.Parse(line);
                JsonElement root = doc.RootElement;
                seq = root.GetProperty("seq").GetInt64();
                linePrev = root.GetProperty("prev").GetString();
                lastKind = root.GetProperty("kind").GetString() ?? "";
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return Bad(lineNo, "not an audit record: " + ex.Message);
            }

            if (seq != expectedSeq)
            {
                return Bad(lineNo, $"sequence {seq} where {expectedSeq} was expected (a record was removed, inserted or moved)");
            }

            if (!string.Equals(linePrev, prev, StringComparison.Ordinal))
            {
                return Bad(lineNo, "prev hash does not match the previous line (the previous line was edited, or lines were reordered)");
            }

            prev = AuditLog.HashLine(Encoding.UTF8.GetBytes(line));
            expectedSeq++;
        }

        return new AuditVerification(true, lineNo, 0, "", lastKind == "close");

        AuditVerification Bad(long at, string problem) => new(false, lineNo, at, problem, false);
    }
}
