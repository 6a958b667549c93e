using System.Globalization;

namespace MeTAI.Dicom.Rt.Writers;

/// <summary>
/// Every text value an RT writer put into a dataset, checked against its VR (PS3.5 §6.2, Table 6.2-1) before anything
/// is written: the length of each value (AE, CS, SH, DS 16 characters; IS 12; LO, UI 64; PN 64 per component group;
/// ST 1024; LT 10240; DA 8; TM 14; AS 4) and the character repertoire of the coded VRs (CS: A–Z, 0–9, space and
/// underscore; DA, TM, IS, DS: digits and their signs; no control characters in SH, LO, PN, AE, and only CR, LF, FF
/// and TAB in ST, LT, UT). A value that does not fit is refused with the tag, its keyword and the value: never
/// truncated, because many of these values are identifiers that a reader matches on; whatever we fill in from
/// settings or free text is made to fit by design where it is built.
/// </summary>
public static class RtValueCheck
{
    /// <summary>Checks every element of <paramref name="dataset"/> and of its sequences; returns the dataset.</summary>
    /// <param name="dataset">The dataset a writer built.</param>
    /// <param name="what">The object, for the message (e.g. "RT Dose").</param>
    /// <exception cref="ArgumentException">A value too long for its VR, or with characters its VR does not allow.</exception>
    public static DicomDataset Checked(DicomDataset dataset, string what)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Check(dataset, what);
        return dataset;
    }

    /// <summary>Why <paramref name="value"/> cannot be a value of <paramref name="vr"/>, or null when it can.</summary>
    public static string? Problem(DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(value);
        int max = MaxLength(vr);
        if (vr == DicomVR.PN)
        {
            foreach (string group in value.Split('='))
            {
                if (group.Length > max)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"has a component group of {group.Length} characters; PN allows {max}");
                }
            }
        }
        else if (max > 0 && value.Length > max)
        {
            return string.Create(CultureInfo.InvariantCulture, $"has {value.Length} characters; {vr.Code} allows {max}");
        }

        foreach (char c in value)
        {
            if (!Allowed(vr, c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"holds the character U+{(int)c:X4}, which {vr.Code} does not allow");
            }
        }

        return null;
    }

    private static void Check(DicomDataset dataset, string what)
    {
        foreach (DicomElement e in dataset)
        {
            if (e is DicomSequence sequence)
            {
                foreach (DicomDataset item in sequence.Items)
                {
                    Check(item, what);
                }

                continue;
            }

            if (!e.VR.IsText || e.VR == DicomVR.UI)
            {
                // UIDs are checked by the writer itself (DicomUid.IsValid).
                continue;
            }

            foreach (string value in dataset.GetStrings(e.Tag))
            {
                if (Problem(e.VR, value) is { } problem)
                {
                    string shown = value.Length > 80 ? value[..77] + "..." : value;
                    throw new ArgumentException($"{what}: {e.Tag} {DicomDictionary.NameOf(e.Tag)} '{shown}' {problem}; it is not written.");
                }
            }
        }
    }

    /// <summary>The most characters one value may have (0: no limit that matters here).</summary>
    private static int MaxLength(DicomVR vr) => vr.Code switch
    {
        "AE" or "CS" or "SH" or "DS" => 16,
        "AS" => 4,
        "DA" => 8,
        "DT" => 26,
        "IS" => 12,
        "LO" or "PN" => 64,
        "TM" => 14,
        "ST" => 1024,
        "LT" => 10240,
        _ => 0,
    };

    private static bool Allowed(DicomVR vr, char c) => vr.Code switch
    {
        "CS" => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ' or '_',
        "DA" => char.IsAsciiDigit(c),
        "TM" => char.IsAsciiDigit(c) || c == '.',
        "IS" => char.IsAsciiDigit(c) || c is '+' or '-' or ' ',
        "DS" => char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'E' or 'e' or ' ',
        "AS" => char.IsAsciiDigit(c) || c is 'D' or 'W' or 'M' or 'Y',
        "ST" or "LT" or "UT" => !char.IsControl(c) || c is '\r' or '\n' or '\f' or '\t' or '\u001b',
        _ => !char.IsControl(c) || c == '\u001b',
    };
}
