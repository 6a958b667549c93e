namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// Which tissue an RT structure set's ROI is made of, by its RT ROI Interpreted Type (3006,00A4) or its name: an ROI
/// matches when its type is one of <see cref="Types"/> or its name contains one of <see cref="Names"/> (both
/// case-insensitive). Rules are tried in config order; an ROI takes the first rule it matches, and the ROIs are painted
/// in rule order (later over earlier). Exactly one ROI must match the <see cref="Body"/> rule: the body outline.
/// </summary>
/// <param name="Tissue">Tissue name (one of the config's tissues).</param>
/// <param name="Types">Interpreted types that match (EXTERNAL, ORGAN, PTV, GTV, …).</param>
/// <param name="Names">Name fragments that match (<c>liver</c>, <c>vessel</c>, <c>rib</c>, …).</param>
/// <param name="Body">True for the rule of the body outline.</param>
public sealed record RoiTissueRule(string Tissue, IReadOnlyList<string> Types, IReadOnlyList<string> Names, bool Body)
{
    /// <summary>True when an ROI of this name and interpreted type matches.</summary>
    public bool Matches(string roiName, string interpretedType)
    {
        ArgumentNullException.ThrowIfNull(roiName);
        foreach (string t in Types)
        {
            if (string.Equals(t, interpretedType?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (string n in Names)
        {
            if (roiName.Contains(n, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The rule as the log shows it, e.g. <c>type EXTERNAL</c> or <c>name contains 'liver'</c>.</summary>
    public string Describe() =>
        string.Join(" or ", Types.Select(t => $"type {t}").Concat(Names.Select(n => $"name contains '{n}'")));
}
