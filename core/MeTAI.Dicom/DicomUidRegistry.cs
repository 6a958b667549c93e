using System.Reflection;

namespace MeTAI.Dicom;

/// <summary>Names of registered UIDs (PS3.6 Annex A), loaded from the embedded <c>Dictionary/uids.tsv</c>.</summary>
public static class DicomUidRegistry
{
    private static readonly Lazy<Dictionary<string, (string Name, string Type, string Keyword)>> Entries = new(Load);

    /// <summary>The registered name of a UID, or null.</summary>
    public static string? NameOf(string uid) =>
        Entries.Value.TryGetValue(uid, out var e) ? e.Name : null;

    /// <summary>The registered keyword of a UID (e.g. <c>RTPlanStorage</c>), or null.</summary>
    public static string? KeywordOf(string uid) =>
        Entries.Value.TryGetValue(uid, out var e) && e.Keyword.Length > 0 ? e.Keyword : null;

    private static Dictionary<string, (string, string, string)> Load()
    {
        var result = new Dictionary<string, (string, string, string)>(StringComparer.Ordinal);
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MeTAI.Dicom.Dictionary.uids.tsv")
            ?? throw new InvalidOperationException("Embedded resource Dictionary/uids.tsv is missing.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] f = line.Split('\t');
            if (f.Length >= 4)
            {
                result[f[0]] = (f[1], f[2], f[3]);
            }
        }

        return result;
    }
}
