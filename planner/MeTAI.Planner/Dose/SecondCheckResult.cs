using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Planner.Beams;

namespace MeTAI.Planner.Dose;

/// <summary>What a second check (<see cref="SecondCheckRun"/>) computed and where it wrote it.</summary>
/// <param name="Plan">The RT Plan recomputed.</param>
/// <param name="CtDirectory">The directory the CT slices were read from.</param>
/// <param name="Segments">The plan's delivery, as simulated (isocentre placed), MU per fraction.</param>
/// <param name="Fractions">Fractions summed.</param>
/// <param name="Dose">The Monte Carlo dose of those fractions, Gy.</param>
/// <param name="IsocenterLps">The (first beam's) isocentre used, LPS mm.</param>
/// <param name="DoseAtIsocenterGy">Mean dose over the 3 × 3 × 3 voxels around the isocentre, Gy for all fractions.</param>
/// <param name="OutDir">The output directory (full path).</param>
public sealed record SecondCheckResult(RtPlan Plan, string CtDirectory, IReadOnlyList<DeliverySegment> Segments, int Fractions, PlanDose Dose,
    Vec3 IsocenterLps, double DoseAtIsocenterGy, string OutDir)
{
    /// <summary>Mismatches between plan and CT accepted with the override (summary.json's <c>inputWarnings</c>).</summary>
    public IReadOnlyList<string> InputWarnings { get; init; } = [];
}
