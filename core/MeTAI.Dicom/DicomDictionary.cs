using System.Globalization;
using System.Reflection;

namespace MeTAI.Dicom;

/// <summary>
/// The DICOM PS3.6 data dictionary (embedded <c>Dictionary/elements.tsv</c>): VR, VM, keyword and name per tag,
/// including repeating groups such as (60xx,3000). Used to find the VR of implicit-VR elements and to name tags.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is the DICOM Data Dictionary (PS3.6); the name is the standard's.")]
public static class DicomDictionary
{
    private static readonly Lazy<Tables> Data = new(Load);

    /// <summary>One dictionary entry.</summary>
    /// <param name="VRs">Allowed VRs (usually one; e.g. "US or SS" gives two).</param>
    /// <param name="VM">Value multiplicity text, e.g. "1", "2-2n", "1-n".</param>
    /// <param name="Keyword">Keyword, e.g. <c>PatientName</c>.</param>
    /// <param name="Name">Name, e.g. <c>Patient's Name</c>.</param>
    /// <param name="Retired">True for retired elements.</param>
    public sealed record Entry(IReadOnlyList<DicomVR> VRs, string VM, string Keyword, string Name, bool Retired);

    /// <summary>The entry for a tag (exact, then repeating-group masks), or null.</summary>
    public static Entry? Lookup(DicomTag tag)
    {
        Tables t = Data.Value;
        if (t.Exact.TryGetValue(tag.Value, out Entry? e))
        {
            return e;
        }

        foreach ((uint mask, uint pattern, Entry entry) in t.Masked)
        {
            if ((tag.Value & mask) == pattern)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The tag of a keyword, or null.</summary>
    public static DicomTag? TagOf(string keyword) =>
        Data.Value.ByKeyword.TryGetValue(keyword, out uint v) ? DicomTag.FromValue(v) : null;

    /// <summary>
    /// The VR an implicit-VR element of this tag has: the dictionary's first VR (callers resolve "US or SS" and
    /// "OB or OW" from context), UL for group lengths, LO for private creators, UN for unknown tags.
    /// </summary>
    public static DicomVR DefaultVR(DicomTag tag)
    {
        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }

        if (tag.IsPrivateCreator)
        {
            return DicomVR.LO;
        }

        if (tag.IsPrivate)
        {
            return DicomVR.UN;
        }

        Entry? e = Lookup(tag);
        return e is null || e.VRs.Count == 0 ? DicomVR.UN : e.VRs[0];
    }

    /// <summary>The keyword of a tag or its notation when it is not in the dictionary.</summary>
    public static string NameOf(DicomTag tag) => Lookup(tag)?.Keyword is { Length: > 0 } k ? k : tag.ToString();

    private sealed record Tables(Dictionary<uint, Entry> Exact, List<(uint Mask, uint Pattern, Entry Entry)> Masked, Dictionary<string, uint> ByKeyword);

    private static Tables Load()
    {
        var exact = new Dictionary<uint, Entry>();
        var masked = new List<(uint, uint, Entry)>();
        var byKeyword = new Dictionary<string, uint>(StringComparer.Ordinal);
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MeTAI.Dicom.Dictionary.elements.tsv")
            ?? throw new InvalidOperationException("Embedded resource Dictionary/elements.tsv is missing.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] f = line.Split('\t');
            var vrs = new List<DicomVR>();
            foreach (string code in f[1].Split(" or ", StringSplitOptions.TrimEntries))
            {
                if (code.Length == 2 && DicomVR.TryParse((byte)code[0], (byte)code[1], out DicomVR vr))
                {
                    vrs.Add(vr);
                }
            }

            var entry = new Entry(vrs, f[2], f[3], f[4], f.Length > 5 && f[5] == "R");
            string hex = f[0];
            if (hex.Contains('x', StringComparison.Ordinal))
            {
                uint mask = 0, pattern = 0;
                foreach (char c in hex)
                {
                    mask <<= 4;
                    pattern <<= 4;
                    if (c != 'x')
                    {
                        mask |= 0xF;
                        pattern |= uint.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    }
                }

                masked.Add((mask, pattern, entry));
            }
            else
            {
                uint value = uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                exact[value] = entry;
                if (entry.Keyword.Length > 0)
                {
                    byKeyword.TryAdd(entry.Keyword, value);
                }
            }
        }

        return new Tables(exact, masked, byKeyword);
    }
}
