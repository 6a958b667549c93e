using MeTAI.Dicom.Rt;

namespace MeTAI.Dicom.Cases;

/// <summary>
/// An existing RT Plan and the CT it is to be recomputed on (<see cref="CaseLoader.LoadPlanOnCt"/>), checked to belong
/// together, with the structure set the plan references when the CT's folder holds it.
/// </summary>
/// <param name="Ct">The CT series.</param>
/// <param name="CtDirectory">The folder the CT slices were read from.</param>
/// <param name="Plan">The plan.</param>
/// <param name="StructureSet">The plan's structure set when it was found next to the CT, else null.</param>
/// <param name="Warnings">Mismatches accepted with the override, and name differences (for the log and the summary).</param>
public sealed record PlanCtInputs(CtSeries Ct, string CtDirectory, RtPlan Plan, RtStructureSet? StructureSet, IReadOnlyList<string> Warnings);
