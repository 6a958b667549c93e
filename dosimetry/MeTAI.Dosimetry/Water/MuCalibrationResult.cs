using MeTAI.Dosimetry.Beams;

namespace MeTAI.Dosimetry.Water;

/// <summary>
/// A derived MU calibration: <paramref name="FluencePerMuPerCm2"/> focal photons per cm² per MU, its relative 1σ,
/// the reference depth used (mm; dmax found when the condition says dmax), the dose per unit focal fluence there (Gy
/// cm²), histories, the SSD of the run (mm) and the condition.
/// </summary>
public sealed record MuCalibrationResult(double FluencePerMuPerCm2, double RelativeUncertainty, double ReferenceDepthMm, double DosePerFluenceGyCm2,
    long Histories, double SsdMm, ReferenceCondition Condition);
