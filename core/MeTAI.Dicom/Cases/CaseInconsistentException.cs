namespace MeTAI.Dicom.Cases;

/// <summary>
/// CT, RTSTRUCT, RTPLAN or RTDOSE do not belong together (another patient, study or frame of reference, or a reference
/// that points elsewhere); the message names both values, the files and the override (<see cref="CaseConsistency"/>).
/// </summary>
public sealed class CaseInconsistentException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public CaseInconsistentException()
        : this("The inputs do not belong together.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CaseInconsistentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public CaseInconsistentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the problems that caused it.</summary>
    public CaseInconsistentException(string message, IReadOnlyList<CaseConsistencyProblem> problems)
        : base(message)
    {
        Problems = problems;
    }

    /// <summary>The refused mismatches.</summary>
    public IReadOnlyList<CaseConsistencyProblem> Problems { get; } = [];
}
