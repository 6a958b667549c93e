using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Dosimetry.Engines;

/// <summary>Everything one Monte Carlo dose calculation needs. Plain options with defaults, validated once.</summary>
public sealed record DoseRequest
{
    /// <summary>The patient or phantom.</summary>
    public required VoxelPhantom Phantom { get; init; }

    /// <summary>The beam.</summary>
    public required BeamSetup Beam { get; init; }

    /// <summary>Source particles to simulate in total (split evenly over the batches); unused when <see cref="Uncertainty"/> is set.</summary>
    public long Histories { get; init; } = 1_000_000;

    /// <summary>Batches for the batch-method uncertainty (at least 10); unused when <see cref="Uncertainty"/> is set.</summary>
    public int Batches { get; init; } = 10;

    /// <summary>Random seed; the same seed and configuration give the same dose bit for bit.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Transport parameters.</summary>
    public PhysicsOptions Physics { get; init; } = new();

    /// <summary>Report dose to water (stopping-power-ratio conversion) instead of dose to medium.</summary>
    public bool DoseToWater { get; init; }

    /// <summary>Directory holding the material files (<c>configs/materials</c>); null finds it above the program.</summary>
    public string? MaterialsDirectory { get; init; }

    /// <summary>Count primary electrons that get deeper than this along the beam axis (mm; 0: off; validation).</summary>
    public double DepthProbeMm { get; init; }

    /// <summary>Keep every batch's dose grid in the result (for uncertainties of derived quantities such as PDD points).</summary>
    public bool KeepBatchDoses { get; init; }

    /// <summary>
    /// Run to a target uncertainty instead of a fixed history count: batches until the rule of
    /// <see cref="Analysis.UncertaintyStoppingRule"/> stops (null: <see cref="Histories"/> in <see cref="Batches"/> batches).
    /// </summary>
    public Analysis.UncertaintyTarget? Uncertainty { get; init; }

    /// <summary>
    /// The stopping region of <see cref="Uncertainty"/>: one value per voxel, non-zero inside (a named ROI); null uses
    /// the voxels above 50 % of the maximum dose.
    /// </summary>
    public byte[]? UncertaintyRoi { get; init; }

    /// <summary>Throws when the request is inconsistent.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Phantom);
        ArgumentNullException.ThrowIfNull(Beam);
        Physics.Validate();
        if (Batches < 10)
        {
            throw new ArgumentOutOfRangeException(nameof(Batches), Batches, "The batch method needs at least 10 batches.");
        }

        if (Histories < Batches)
        {
            throw new ArgumentOutOfRangeException(nameof(Histories), Histories, "Need at least one history per batch.");
        }

        if (Uncertainty is not null)
        {
            Uncertainty.Validate();
            if (KeepBatchDoses)
            {
                throw new ArgumentException("Keeping every batch's dose is not supported with a target uncertainty (the batch count is not known in advance).", nameof(KeepBatchDoses));
            }
        }

        if (UncertaintyRoi is not null && (Uncertainty is null || UncertaintyRoi.Length != Phantom.Geometry.VoxelCount))
        {
            throw new ArgumentException(Uncertainty is null
                ? "A stopping region needs a target uncertainty."
                : $"The stopping region has {UncertaintyRoi.Length} voxels, the phantom {Phantom.Geometry.VoxelCount}.", nameof(UncertaintyRoi));
        }

        if (Beam.Spectrum.MaxEnergyMeV > Physics.MaxEnergyMeV)
        {
            throw new ArgumentException($"Beam energy {Beam.Spectrum.MaxEnergyMeV} MeV exceeds the tables' {Physics.MaxEnergyMeV} MeV.");
        }
    }
}
