namespace MeTAI.Planner.Plans;

/// <summary>
/// How far <see cref="PlanPipeline"/> has got. <see cref="StageFraction"/> counts the stage's work items (beamlets,
/// re-weighting rounds, beams, segment histories); <see cref="Fraction"/> places that on the whole plan, the Monte
/// Carlo stages weighted by the histories they simulate. Neither is a time estimate, but both only rise. Reports
/// arrive on the planning thread, in order.
/// </summary>
/// <param name="Stage">The stage running.</param>
/// <param name="StageFraction">Fraction of the stage done, 0–1.</param>
/// <param name="Fraction">Fraction of the whole plan done, 0–1.</param>
/// <param name="Detail">What is running, e.g. "beamlet 120/892".</param>
public readonly record struct PlanStageProgress(PlanStage Stage, double StageFraction, double Fraction, string Detail);
