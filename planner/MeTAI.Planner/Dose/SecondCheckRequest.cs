using MeTAI.Dicom.Cases;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Planner.Dose;

/// <summary>An existing RT Plan to recompute by Monte Carlo on a CT (<see cref="SecondCheckRun"/>).</summary>
/// <param name="CtPath">The CT: a case directory (<c>ct/</c>), the directory of the slices, an export folder or a DICOMDIR.</param>
/// <param name="PlanPath">The RT Plan file.</param>
/// <param name="Isocenter">Null: the plan's isocentres; "X,Y,Z": that point (LPS mm) for every beam; "ssd": the point on
/// the first beam's axis through the CT centre that keeps the plan's source-to-surface distance.</param>
/// <param name="Fractions">Fractions to sum (null: the plan's Number of Fractions Planned, else 1).</param>
/// <param name="Histories">Histories in all.</param>
/// <param name="Device">Monte Carlo device.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="Denoise">Denoise the Monte Carlo dose.</param>
/// <param name="OutDir">Output directory.</param>
public sealed record SecondCheckRequest(string CtPath, string PlanPath, string? Isocenter, int? Fractions, long Histories, DeviceKind Device, ulong Seed, bool Denoise, string OutDir)
{
    /// <summary>Run to this mean relative σ over D &gt; 50 % Dmax, % (null: <c>Histories</c>); <see cref="PlanDoseCalculator.ComputeToTarget"/>.</summary>
    public double? UncertaintyPercent { get; init; }

    /// <summary>The history cap of a run to <see cref="UncertaintyPercent"/>.</summary>
    public long MaxHistories { get; init; } = 2_000_000_000;

    /// <summary>Report dose to water instead of dose to medium.</summary>
    public bool DoseToWater { get; init; }

    /// <summary>Which CT series and structure set of the CT folder to use, and whether mismatches with the plan are only warnings (<see cref="CaseLoader.LoadPlanOnCt"/>).</summary>
    public CaseLoadOptions Inputs { get; init; } = CaseLoadOptions.Default;
}
