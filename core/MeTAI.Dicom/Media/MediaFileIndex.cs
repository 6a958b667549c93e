namespace MeTAI.Dicom.Media;

/// <summary>
/// The files under a DICOMDIR's folder by their path relative to it, for resolving Referenced File IDs (0004,1500).
/// Media file systems (ISO 9660, FAT) are case-insensitive and ISO 9660 may add a version (<c>;1</c>) or a trailing
/// dot, while the File ID is upper case (PS3.10 §8.5): a component matches exactly first, then ignoring case, version
/// and trailing dot. A File ID can only reach files in the index, so <c>..</c> or an absolute path cannot leave the
/// folder; such components are refused.
/// </summary>
public sealed class MediaFileIndex
{
    private readonly Dictionary<string, string> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Relative, string Path)>> _loose = new(StringComparer.Ordinal);

    /// <summary>An index of files given by their path relative to the DICOMDIR's folder ('/' or '\' between components).</summary>
    public MediaFileIndex(IEnumerable<(string RelativeName, string Path)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach ((string relative, string path) in files)
        {
            string[] parts = Split(relative);
            _exact[string.Join('/', parts)] = path;
            string key = string.Join('/', parts.Select(Loose));
            if (!_loose.TryGetValue(key, out List<(string, string)>? list))
            {
                _loose[key] = list = [];
            }

            list.Add((string.Join('/', parts), path));
        }
    }

    /// <summary>
    /// The file a File ID names and its relative name, or null when there is none; two files differing only in case
    /// (neither an exact match) are an error, as is a component that is empty, <c>.</c> or <c>..</c>.
    /// </summary>
    /// <exception cref="DicomFormatException">The File ID is not a relative path of plain components, or it is ambiguous.</exception>
    public (string RelativeName, string Path)? Resolve(IReadOnlyList<string> fileId)
    {
        ArgumentNullException.ThrowIfNull(fileId);
        foreach (string c in fileId)
        {
            if (c.Length == 0 || c is "." or ".." || c.Contains('/', StringComparison.Ordinal) || c.Contains('\0', StringComparison.Ordinal) || c.Contains(':', StringComparison.Ordinal))
            {
                throw new DicomFormatException($"Referenced File ID '{string.Join('\\', fileId)}' has the component '{c}', which is not a plain file or folder name", -1, DicomTags.ReferencedFileID);
            }
        }

        string exact = string.Join('/', fileId);
        if (_exact.TryGetValue(exact, out string? path))
        {
            return (exact, path);
        }

        if (!_loose.TryGetValue(string.Join('/', fileId.Select(Loose)), out List<(string Relative, string Path)>? matches))
        {
            return null;
        }

        return matches.Count == 1
            ? matches[0]
            : throw new DicomFormatException($"Referenced File ID '{string.Join('\\', fileId)}' matches {string.Join(" and ", matches.Select(m => m.Relative))}, which differ only in case", -1, DicomTags.ReferencedFileID);
    }

    private static string[] Split(string relative) =>
        relative.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);

    // Upper case, without an ISO 9660 version suffix (";1") or a trailing dot.
    private static string Loose(string component)
    {
        string c = component;
        int semicolon = c.LastIndexOf(';');
        if (semicolon > 0 && c[(semicolon + 1)..].All(char.IsAsciiDigit))
        {
            c = c[..semicolon];
        }

        return c.TrimEnd('.').ToUpperInvariant();
    }
}
