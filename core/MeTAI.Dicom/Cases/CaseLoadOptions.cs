namespace MeTAI.Dicom.Cases;

/// <summary>
/// How <see cref="CaseLoader"/> picks from an export and how strict it is: the CT series and structure set to use when
/// there are several (by UID), and whether mismatches between CT, RTSTRUCT, RTPLAN and RTDOSE
/// (<see cref="CaseConsistency"/>) are refused or only warned about. The option names are how messages tell the user
/// to set them (the CLI's flags by default; the service passes its request's field names).
/// </summary>
public sealed record CaseLoadOptions
{
    /// <summary>Options with nothing chosen and mismatches refused.</summary>
    public static CaseLoadOptions Default { get; } = new();

    /// <summary>Series Instance UID of the CT series to use, or null to pick the only one (or the one the structure set references).</summary>
    public string? CtSeriesUid { get; init; }

    /// <summary>SOP Instance UID (or Series Instance UID) of the structure set to use, or null to pick the one drawn on the CT.</summary>
    public string? StructureSetUid { get; init; }

    /// <summary>Turn consistency refusals into warnings (phantom work: objects made separately for the same geometry).</summary>
    public bool AllowInconsistent { get; init; }

    /// <summary>How messages name the CT series choice.</summary>
    public string CtSeriesOption { get; init; } = "--ct-series";

    /// <summary>How messages name the structure set choice.</summary>
    public string StructureSetOption { get; init; } = "--structure-set";

    /// <summary>How messages name the override.</summary>
    public string AllowInconsistentOption { get; init; } = "--allow-inconsistent";

    /// <summary>False leaves patient ID and name out of logged listings and consistency messages (the service, whose logs and summaries show no patient identity).</summary>
    public bool LogPatientIdentity { get; init; } = true;
}
