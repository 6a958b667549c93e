namespace MeTAI.Service.Rehearsals;

/// <summary>
/// The plan whose dose a rehearsal's scene shows as isodose surfaces (the request's <c>planId</c>): a succeeded plan of
/// the same upload, resolved to its folder and prescription when the rehearsal is submitted.
/// </summary>
/// <param name="PlanId">The plan job's id.</param>
/// <param name="Directory">The plan's output folder (its <c>rtdose.dcm</c>).</param>
/// <param name="PrescriptionGy">The plan's prescription, Gy (the isodose levels are percentages of it).</param>
/// <param name="Target">The structure the dose is prescribed to.</param>
public sealed record RehearsalPlanDose(string PlanId, string Directory, double PrescriptionGy, string? Target);
