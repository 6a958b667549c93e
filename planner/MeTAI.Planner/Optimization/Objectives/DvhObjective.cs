using MeTAI.Planner.Compute;

namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>
/// Shared state of the DVH-point objectives (Wu &amp; Mohan 2000, as in matRad): the volume v of "V(d̂) ≤ v %" or
/// "V(d̂) ≥ v %", and D_v, the dose that the hottest v % of the structure's voxels reach, found without allocating.
/// </summary>
public abstract class DvhObjective : DoseObjective
{
    private readonly float[] _scratch;

    /// <summary>A DVH point at <paramref name="volumePercent"/> % of the structure (the subclass checks its range).</summary>
    protected DvhObjective(string structure, int[] rows, double referenceDoseGy, double volumePercent, double weight, int priority)
        : base(structure, rows, referenceDoseGy, weight, priority)
    {
        VolumePercent = volumePercent;
        _scratch = new float[rows.Length];
    }

    /// <summary>The volume v, percent.</summary>
    public double VolumePercent { get; }

    /// <summary>D_v of <paramref name="dose"/> over the rows, Gy.</summary>
    protected float DoseAtVolume(ReadOnlySpan<float> dose) => Selection.DoseAtVolume(dose, Rows, VolumePercent, _scratch);
}
