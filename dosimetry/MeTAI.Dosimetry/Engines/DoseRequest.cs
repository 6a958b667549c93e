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

    /// <summary>Source particles to simulate in total (split evenly over the batches).</summary>
    public long Histories { get; init; } = 1_000_000;

    /// <summary>Batches for the batch-method uncertainty (at least 10).</summary>
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

        if (Beam.Spectrum.MaxEnergyMeV > Physics.MaxEnergyMeV)
        {
            throw new ArgumentException($"Beam energy {Beam.Spectrum.MaxEnergyMeV} MeV exceeds the tables' {Physics.MaxEnergyMeV} MeV.");
        }
    }
}
