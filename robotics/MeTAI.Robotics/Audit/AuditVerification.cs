namespace MeTAI.Robotics.Audit;

/// <summary>Result of <see cref="AuditVerifier.Verify(string)"/>.</summary>
/// <param name="IsValid">Every line parses, sequence numbers are consecutive from 1 and every <c>prev</c> matches.</param>
/// <param name="Records">Lines checked.</param>
/// <param name="FirstBadLine">1-based line of the first problem (0 when valid).</param>
/// <param name="Problem">What is wrong (empty when valid).</param>
/// <param name="Closed">The last record is a <c>close</c> record (the log was shut down cleanly, nothing cut off).</param>
public sealed record AuditVerification(bool IsValid, long Records, long FirstBadLine, string Problem, bool Closed);
