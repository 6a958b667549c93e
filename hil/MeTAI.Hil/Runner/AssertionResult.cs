using MeTAI.Hil.Scenarios;

namespace MeTAI.Hil.Runner;

/// <summary>The verdict of one assertion.</summary>
/// <param name="Id">Assertion id.</param>
/// <param name="Kind">Kind.</param>
/// <param name="Safety">A safety assertion (a failure is a violation).</param>
/// <param name="Passed">Held.</param>
/// <param name="Claim">What was claimed.</param>
/// <param name="Detail">What was measured (and, on failure, where it broke).</param>
/// <param name="Exercised">False when the run never put the claim to the test (e.g. the controller had already stopped
/// for another reason when the fault began): not passed, but not a violation either.</param>
public sealed record AssertionResult(string Id, AssertionKind Kind, bool Safety, bool Passed, string Claim, string Detail, bool Exercised = true)
{
    /// <summary>A safety assertion that was put to the test and broke.</summary>
    public bool IsViolation => Safety && Exercised && !Passed;
}
