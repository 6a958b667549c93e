namespace MeTAI.Robotics.Safety;

/// <summary>
/// One risk-control measure of the safety case (docs/safety-case.md): what it is, its ISO 14971 kind, the interlock bit
/// that carries it (<see cref="Interlocks.None"/> for a measure that is not an interlock), and the evidence — test
/// methods (<c>Project.Tests/Class.Method</c>, checked to exist) and bundled HIL scenarios (checked to exist).
/// </summary>
/// <param name="Measure">What the measure is and where it lives.</param>
/// <param name="Kind">ISO 14971 clause 7.1 option.</param>
/// <param name="Interlock">The interlock bit, or none.</param>
/// <param name="Tests">Tests that show the measure works (project/class.method).</param>
/// <param name="Scenarios">Bundled HIL scenarios (configs/hil) that exercise it, each paired with its negative.</param>
public sealed record RiskControl(string Measure, RiskControlKind Kind, Interlocks Interlock, IReadOnlyList<string> Tests, IReadOnlyList<string> Scenarios);
