using MeTAI.Hil.Scenarios;

namespace MeTAI.Hil.Runner;

/// <summary>The verdict of one assertion.</summary>
/// <param name="Id">Assertion id.</param>
/// <param name="Kind">Kind.</param>
/// <param name="Safety">A safety assertion (a failure is a violation).</param>
/// <param name="Passed">Held.</param>
/// <param name="Claim">What was claimed.</param>
/// <param name="Detail">What was measured (and, on failure, where it broke).</param>
public sealed record AssertionResult(string Id, AssertionKind Kind, bool Safety, bool Passed, string Claim, string Detail);
