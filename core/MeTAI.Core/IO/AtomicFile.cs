using System.Text;

namespace MeTAI.Core.IO;

/// <summary>
/// The one way files are written: into a temporary file beside the target (same folder, so the same file system),
/// flushed to disk, then renamed over the target. A reader — a person, a CI job, the next run after a crash — sees the
/// old file or the new one, never half of one. The temporary file is removed when writing fails.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes UTF-8 text (no byte-order mark).</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, Utf8NoBom.GetBytes(text));
    }

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Lets <paramref name="write"/> fill a stream on the temporary file, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteVia(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            write(stream);
            stream.Flush(flushToDisk: true);
        });
    }

    /// <summary>
    /// For writers that insist on a file name (ScottPlot's <c>SavePng</c>, <c>XDocument.Save</c>): <paramref name="write"/>
    /// writes the temporary file named in its argument (the target's extension kept last), which is then renamed over
    /// <paramref name="path"/>.
    /// </summary>
    public static void WriteVia(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temp = Begin(path, out string full);
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            DeleteIfLeft(temp);
        }
    }

    private static string Begin(string path, out string full)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
    }

    private static void DeleteIfLeft(string temp)
    {
        if (File.Exists(temp))
        {
            File.Delete(temp);
        }
    }
}
