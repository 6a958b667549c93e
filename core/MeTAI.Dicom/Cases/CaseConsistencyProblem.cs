namespace MeTAI.Dicom.Cases;

/// <summary>One mismatch between the objects of a case (<see cref="CaseConsistency"/>).</summary>
/// <param name="Attribute">The attribute compared, with its tag, e.g. "Frame of Reference UID (0020,0052)".</param>
/// <param name="Message">Both values and the files that hold them.</param>
/// <param name="WarningOnly">True for what is only a warning (Patient's Name spelt differently); false for a refusal.</param>
public sealed record CaseConsistencyProblem(string Attribute, string Message, bool WarningOnly = false)
{
    /// <summary>"Attribute: message".</summary>
    public override string ToString() => $"{Attribute}: {Message}";
}
