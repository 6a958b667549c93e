using System.Globalization;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Service.Rehearsals;

/// <summary>
/// The scene's isodose surfaces (docs/scene.md, <c>isodoses</c>): the plan's exported dose (<c>rtdose.dcm</c> in the
/// plan's folder, the grid the planner wrote, in Gy) contoured at <see cref="Levels"/> percent of its prescription by
/// <see cref="Isosurface"/>, in patient LPS mm. The dose must lie on the rehearsal CT's frame of reference, else the
/// rehearsal fails with the reason: a dose placed on another patient position would be drawn in the wrong place.
/// </summary>
public static class RehearsalIsodoses
{
    /// <summary>The levels drawn, percent of the prescription, with their colours and opacities.</summary>
    public static readonly IReadOnlyList<(double Percent, string Color, double Opacity)> Levels =
    [
        (95, "#ff5a36", 0.55),
        (50, "#3fa7ff", 0.3),
    ];

    /// <summary>Largest number of dose-grid points used per axis (a larger grid is sampled every n-th voxel).</summary>
    public const int MaxSide = 160;

    /// <summary>
    /// The scene's <c>plan</c> object and <c>isodoses</c> for <paramref name="plan"/> on a CT of frame of reference
    /// <paramref name="ctFrameOfReferenceUid"/>; (null, []) without a plan.
    /// </summary>
    /// <exception cref="InvalidOperationException">The plan's dose is gone, not in Gy, or on another frame of reference.</exception>
    public static (object? Plan, List<object> Isodoses) Build(RehearsalPlanDose? plan, string ctFrameOfReferenceUid)
    {
        if (plan is null)
        {
            return (null, []);
        }

        string file = Path.Combine(plan.Directory, RtStudyWriter.DoseFile);
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"Plan {plan.PlanId} has no {RtStudyWriter.DoseFile} any more (deleted?); rehearse without planId or with another plan.");
        }

        return Build(plan, RtDoseReader.Read(file), ctFrameOfReferenceUid);
    }

    /// <summary>As <see cref="Build(RehearsalPlanDose?, string)"/> with the dose already read.</summary>
    /// <exception cref="InvalidOperationException">The dose is not in Gy or is on another frame of reference.</exception>
    public static (object? Plan, List<object> Isodoses) Build(RehearsalPlanDose plan, RtDose dose, string ctFrameOfReferenceUid)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(dose);
        if (!string.Equals(dose.FrameOfReferenceUid, ctFrameOfReferenceUid, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Plan {plan.PlanId}'s dose is on frame of reference {dose.FrameOfReferenceUid}, the rehearsal's CT on {ctFrameOfReferenceUid}: " +
                "its isodoses cannot be placed on this CT. Rehearse with a plan made on the same CT series, or without planId.");
        }

        if (!string.Equals(dose.DoseUnits, "GY", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Plan {plan.PlanId}'s dose is in {dose.DoseUnits}, not GY: its isodoses in Gy cannot be drawn.");
        }

        if (!(plan.PrescriptionGy > 0))
        {
            throw new InvalidOperationException($"Plan {plan.PlanId} has no prescription (prescriptionGy {plan.PrescriptionGy.ToString(CultureInfo.InvariantCulture)}).");
        }

        var isodoses = new List<object>();
        int stride = 1;
        foreach ((double percent, string color, double opacity) in Levels)
        {
            double levelGy = percent / 100 * plan.PrescriptionGy;
            (TriangleSurface surface, stride) = Isosurface.Extract(dose.Dose.Geometry, dose.Dose.Data, levelGy, MaxSide);
            isodoses.Add(new
            {
                name = "isodose:" + percent.ToString(CultureInfo.InvariantCulture),
                kind = "isodose",
                percent,
                doseGy = Math.Round(levelGy, 3),
                color,
                opacity,
                triangles = surface.TriangleCount,
                positions = surface.PositionsLps,
                indices = surface.Indices,
            });
        }

        var g = dose.Dose.Geometry;
        return (new
        {
            id = plan.PlanId,
            prescriptionGy = Math.Round(plan.PrescriptionGy, 3),
            target = plan.Target,
            maxDoseGy = Math.Round(dose.MaxDose(), 3),
            doseGridSize = new[] { g.SizeX, g.SizeY, g.SizeZ },
            doseGridSpacingMm = new[] { Math.Round(g.SpacingMm.X, 3), Math.Round(g.SpacingMm.Y, 3), Math.Round(g.SpacingMm.Z, 3) },
            strideVoxels = stride,
        }, isodoses);
    }
}
