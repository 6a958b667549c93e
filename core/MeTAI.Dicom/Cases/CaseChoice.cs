namespace MeTAI.Dicom.Cases;

/// <summary>The CT series and structure set <see cref="CaseSelector"/> picked from an inventory, and why.</summary>
/// <param name="Ct">The CT series.</param>
/// <param name="StructureSet">The structure set, or null when none was needed or found.</param>
/// <param name="Reason">One line on how they were picked (for the log).</param>
public sealed record CaseChoice(CaseSeries Ct, CaseInstance? StructureSet, string Reason);
