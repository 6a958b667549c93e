using System.Globalization;

namespace MeTAI.Dicom.Deid;

/// <summary>
/// The attributes and actions of the Basic Application Level Confidentiality Profile, DICOM PS3.15 Annex E,
/// Table E.1-1 (embedded as <c>Deid/basic-profile.tsv</c>, generated from the standard's table by
/// <c>tools/gen-deid-profile.py</c>), with the columns of the Retain UIDs and Retain Longitudinal Temporal Information
/// with Full Dates options.
/// </summary>
public static class ConfidentialityProfile
{
    private static readonly Lazy<Tables> Data = new(Load);

    /// <summary>Every rule, in the order of the table.</summary>
    public static IReadOnlyList<ProfileRule> Rules => Data.Value.All;

    /// <summary>The rule for <paramref name="tag"/> (exact tags first, then repeating groups), or null when the table does not list it.</summary>
    public static ProfileRule? Lookup(DicomTag tag)
    {
        Tables t = Data.Value;
        if (t.Exact.TryGetValue(tag.Value, out ProfileRule? rule))
        {
            return rule;
        }

        foreach (ProfileRule r in t.Masked)
        {
            if (r.Matches(tag))
            {
                return r;
            }
        }

        return null;
    }

    private sealed record Tables(IReadOnlyList<ProfileRule> All, Dictionary<uint, ProfileRule> Exact, List<ProfileRule> Masked);

    private static Tables Load()
    {
        using Stream stream = typeof(ConfidentialityProfile).Assembly.GetManifestResourceStream("MeTAI.Dicom.Deid.basic-profile.tsv")
            ?? throw new InvalidOperationException("Embedded resource MeTAI.Dicom.Deid.basic-profile.tsv is missing.");
        using var reader = new StreamReader(stream);
        var all = new List<ProfileRule>();
        var exact = new Dictionary<uint, ProfileRule>();
        var masked = new List<ProfileRule>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] f = line.Split('\t');
            string hex = f[0].Replace(",", string.Empty, StringComparison.Ordinal);
            uint mask = 0, pattern = 0;
            for (int n = 0; n < 8; n++)
            {
                mask <<= 4;
                pattern <<= 4;
                if (hex[n] != 'x')
                {
                    mask |= 0xF;
                    pattern |= uint.Parse(hex.AsSpan(n, 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }
            }

            var rule = new ProfileRule(mask, pattern, f[1], f[2], Empty(f, 3), Empty(f, 4));
            all.Add(rule);
            if (mask == 0xFFFFFFFF)
            {
                exact[pattern] = rule;
            }
            else
            {
                masked.Add(rule);
            }
        }

        return new Tables(all, exact, masked);
    }

    private static string? Empty(string[] fields, int index) =>
        fields.Length > index && fields[index].Length > 0 ? fields[index] : null;
}
