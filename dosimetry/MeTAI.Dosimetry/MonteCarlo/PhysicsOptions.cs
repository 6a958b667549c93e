namespace MeTAI.Dosimetry.MonteCarlo;

/// <summary>
/// Transport parameters of the class II condensed-history scheme (docs/monte-carlo.md). Energies are kinetic, in MeV.
/// Defaults follow DPM (Sempau et al. 2000): 200 keV Møller threshold, 50 keV bremsstrahlung threshold.
/// </summary>
public sealed record PhysicsOptions
{
    /// <summary>Electron (and positron) absorption energy: below it the kinetic energy is deposited locally.</summary>
    public double ElectronCutoffMeV { get; init; } = 0.2;

    /// <summary>Photon absorption energy: below it the photon's energy is deposited locally.</summary>
    public double PhotonCutoffMeV { get; init; } = 0.01;

    /// <summary>Møller collisions transferring more than this create a δ electron; less is continuous loss.</summary>
    public double MollerThresholdMeV { get; init; } = 0.2;

    /// <summary>Bremsstrahlung photons above this are created; below it the loss is continuous.</summary>
    public double BremsstrahlungThresholdMeV { get; init; } = 0.05;

    /// <summary>Largest fraction of its energy an electron may lose continuously in one step.</summary>
    public double MaxStepEnergyLossFraction { get; init; } = 0.1;

    /// <summary>
    /// Range rejection: an electron below this energy whose CSDA range cannot take it out of its voxel deposits its
    /// energy there (the only approximation: its hard bremsstrahlung may not leave the voxel). 0 turns it off.
    /// </summary>
    public double RangeRejectionBelowMeV { get; init; } = 2.0;

    /// <summary>Highest energy the tables cover (MeV).</summary>
    public double MaxEnergyMeV { get; init; } = 20.0;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (!(PhotonCutoffMeV >= 0.01 && PhotonCutoffMeV < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(PhotonCutoffMeV), PhotonCutoffMeV, "Photon cut-off must lie in [0.01, 1) MeV (XCOM tables start at 10 keV).");
        }

        if (!(ElectronCutoffMeV >= 0.0125))
        {
            throw new ArgumentOutOfRangeException(nameof(ElectronCutoffMeV), ElectronCutoffMeV, "Electron cut-off must be at least 12.5 keV (ESTAR tables start there).");
        }

        if (!(MollerThresholdMeV > 0) || !(BremsstrahlungThresholdMeV > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MollerThresholdMeV), "Hard-event thresholds must be positive.");
        }

        if (!(MaxStepEnergyLossFraction > 0 && MaxStepEnergyLossFraction <= 0.25))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStepEnergyLossFraction), MaxStepEnergyLossFraction, "Step energy-loss fraction must lie in (0, 0.25].");
        }

        if (!(MaxEnergyMeV > 1 && MaxEnergyMeV <= 20))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEnergyMeV), MaxEnergyMeV, "Maximum energy must lie in (1, 20] MeV.");
        }
    }
}
