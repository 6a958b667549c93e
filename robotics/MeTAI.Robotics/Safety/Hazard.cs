namespace MeTAI.Robotics.Safety;

/// <summary>
/// One hazard of the safety case (ISO 14971:2019 clause 5.4: hazard → sequence of events → hazardous situation → harm),
/// the clauses of IEC 80601-2-77 (and the IEC 60601-1 clauses it amends, numbered 201.x) it maps to, the risk-control
/// measures that control it, and the HIL campaign fault kinds that attack it.
/// </summary>
/// <param name="Id">Short identifier (H1…).</param>
/// <param name="Name">The hazard.</param>
/// <param name="Sequence">Foreseeable sequence of events leading to the hazardous situation.</param>
/// <param name="Harm">The harm to patient or staff.</param>
/// <param name="Clauses">Standard clauses the controls answer.</param>
/// <param name="Controls">The risk-control measures, in ISO 14971 priority order.</param>
/// <param name="CampaignFaults">HIL fault kinds (hil/MeTAI.Hil FaultKind names) that attack this hazard in campaigns.</param>
public sealed record Hazard(string Id, string Name, string Sequence, string Harm, string Clauses, IReadOnlyList<RiskControl> Controls, IReadOnlyList<string> CampaignFaults);
