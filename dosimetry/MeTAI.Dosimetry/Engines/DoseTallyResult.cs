namespace MeTAI.Dosimetry.Engines;

/// <summary>What a lean run (<see cref="DoseSession.RunDose"/>) reports besides the dose it wrote.</summary>
/// <param name="Histories">Histories simulated.</param>
/// <param name="Seconds">Wall-clock transport time including the one tally copy, s.</param>
/// <param name="DepositedEnergyMeV">Energy deposited in the grid, MeV.</param>
/// <param name="DoseUnit">"Gy" (the beam's MU, calibrated model) or "Gy/history".</param>
public readonly record struct DoseTallyResult(long Histories, double Seconds, double DepositedEnergyMeV, string DoseUnit);
