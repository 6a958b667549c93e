using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Planner.Dose;

/// <summary>
/// Where a dose we write, report and evaluate is kept: inside the body (<see cref="Plans.PlanCase.BodyMask"/>) and in
/// matter, i.e. voxels of at least <see cref="MonteCarloEngine.MinReportDensityGPerCm3"/>; everywhere else it is 0,
/// as clinical systems write it. Outside the patient and in air cavities a Monte Carlo dose to medium is a handful of
/// electron tracks in a nearly massless voxel — hundreds of Gy of noise that no one receives — and the engine's
/// reported figures (maximum, mean uncertainty) already left those voxels out. Applying the mask to the dose before
/// the maximum, DVHs, goals and the RT Dose are taken from it makes all of them describe the same numbers: the RT Dose
/// file's maximum is the report's. The uncertainty map is masked the same way.
/// </summary>
public static class DoseMask
{
    /// <summary>The voxels kept: inside <paramref name="body"/> with a density of at least <see cref="MonteCarloEngine.MinReportDensityGPerCm3"/>.</summary>
    public static VoxelMask Kept(VoxelMask body, float[] densityGPerCm3)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(densityGPerCm3);
        if (densityGPerCm3.Length != body.Voxels.Length)
        {
            throw new ArgumentException($"The body mask has {body.Voxels.Length} voxels and the density grid {densityGPerCm3.Length}; they must be on one grid.", nameof(densityGPerCm3));
        }

        var kept = new VoxelMask(body.Name, body.Geometry);
        for (int n = 0; n < densityGPerCm3.Length; n++)
        {
            kept.Voxels[n] = body.Voxels[n] != 0 && densityGPerCm3[n] >= MonteCarloEngine.MinReportDensityGPerCm3 ? (byte)1 : (byte)0;
        }

        return kept;
    }

    /// <summary>A copy of <paramref name="grid"/> with every voxel outside <paramref name="kept"/> set to 0.</summary>
    public static VoxelGrid<float> Apply(VoxelGrid<float> grid, VoxelMask kept)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(kept);
        if (!grid.Geometry.SameAs(kept.Geometry))
        {
            throw new ArgumentException("The dose and the body mask must be on one grid.", nameof(kept));
        }

        var result = new VoxelGrid<float>(grid.Geometry);
        float[] from = grid.Data, to = result.Data;
        byte[] inside = kept.Voxels;
        for (int n = 0; n < from.Length; n++)
        {
            to[n] = inside[n] != 0 ? from[n] : 0f;
        }

        return result;
    }

    /// <summary>The largest value of <paramref name="grid"/> (0 for an empty or all-negative grid).</summary>
    public static double Max(VoxelGrid<float> grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        float max = 0;
        foreach (float v in grid.Data)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    /// <summary>
    /// The mean relative uncertainty over the voxels of <paramref name="dose"/> above half its maximum (the engine's
    /// figure of merit), over a masked dose: voxels outside the mask hold 0 and do not count.
    /// </summary>
    public static double MeanRelUncertaintyAbove50(VoxelGrid<float> dose, VoxelGrid<float> relativeUncertainty)
    {
        ArgumentNullException.ThrowIfNull(dose);
        ArgumentNullException.ThrowIfNull(relativeUncertainty);
        double half = 0.5 * Max(dose), sum = 0;
        int count = 0;
        for (int n = 0; n < dose.Data.Length; n++)
        {
            if (dose.Data[n] > half)
            {
                sum += relativeUncertainty.Data[n];
                count++;
            }
        }

        return count > 0 ? sum / count : 0;
    }

    /// <summary>
    /// An engine result with its dose, uncertainty and batch doses masked to <paramref name="kept"/> and its maximum and
    /// mean uncertainty taken from the masked dose; the curves, energies and counts are the engine's (the process CPU
    /// time, a benchmark's figure, is not carried over).
    /// </summary>
    public static DoseResult Apply(DoseResult result, VoxelMask kept)
    {
        ArgumentNullException.ThrowIfNull(result);
        VoxelGrid<float> dose = Apply(result.Dose, kept), unc = Apply(result.RelativeUncertainty, kept);
        return new DoseResult
        {
            Dose = dose,
            DoseUnit = result.DoseUnit,
            IsDoseToWater = result.IsDoseToWater,
            RelativeUncertainty = unc,
            BatchDoses = result.BatchDoses?.Select(b => Apply(new VoxelGrid<float>(kept.Geometry, b), kept).Data).ToList(),
            Histories = result.Histories,
            Batches = result.Batches,
            Seconds = result.Seconds,
            MeanRelUncertaintyAbove50 = MeanRelUncertaintyAbove50(dose, unc),
            DeviceName = result.DeviceName,
            MaxDose = Max(dose),
            IncidentEnergyMeV = result.IncidentEnergyMeV,
            DepositedEnergyMeV = result.DepositedEnergyMeV,
            EscapedEnergyMeV = result.EscapedEnergyMeV,
            UnscatteredPrimaries = result.UnscatteredPrimaries,
            EnteredPrimaries = result.EnteredPrimaries,
            MaxPrimaryElectronDepthMm = result.MaxPrimaryElectronDepthMm,
            PrimariesBeyondDepthProbe = result.PrimariesBeyondDepthProbe,
            StackOverflows = result.StackOverflows,
            HistoriesPerMu = result.HistoriesPerMu,
            CentralAxis = result.CentralAxis,
            LateralProfile = result.LateralProfile,
            Target = result.Target,
            Stop = result.Stop,
            StoppingUncertainty = result.StoppingUncertainty,
            StoppingUpperBound = result.StoppingUpperBound,
        };
    }
}
