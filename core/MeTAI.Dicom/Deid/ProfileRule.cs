namespace MeTAI.Dicom.Deid;

/// <summary>
/// One row of DICOM PS3.15 Table E.1-1: the attribute (a tag, or a repeating-group pattern such as 60xx,4000), its
/// Basic Profile action and its actions under the Retain UIDs and Retain Longitudinal Temporal Information with Full
/// Dates options (null when the option does not change it). Actions: D (dummy), Z (zero length), X (remove),
/// K (keep), U (replace UID), C (clean) and the alternatives X/Z, X/D, Z/D, X/Z/D, X/Z/U*.
/// </summary>
/// <param name="Mask">Bits of the tag that must match.</param>
/// <param name="Pattern">The tag value under <paramref name="Mask"/>.</param>
/// <param name="Name">Attribute name.</param>
/// <param name="Basic">Basic Profile action.</param>
/// <param name="RetainUids">Retain UIDs Option action, or null.</param>
/// <param name="RetainFullDates">Retain Longitudinal Temporal Information with Full Dates Option action, or null.</param>
public sealed record ProfileRule(uint Mask, uint Pattern, string Name, string Basic, string? RetainUids, string? RetainFullDates)
{
    /// <summary>True when the rule applies to <paramref name="tag"/>.</summary>
    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Pattern;

    /// <summary>The rule's tag text, e.g. <c>(0010,0010)</c> or <c>(60xx,4000)</c>.</summary>
    public string TagText
    {
        get
        {
            char[] text = $"{Pattern >> 16:X4}{Pattern & 0xFFFF:X4}".ToCharArray();
            for (int n = 0; n < 8; n++)
            {
                if (((Mask >> (28 - 4 * n)) & 0xF) == 0)
                {
                    text[n] = 'x';
                }
            }

            return $"({new string(text, 0, 4)},{new string(text, 4, 4)})";
        }
    }
}
