namespace MeTAI.Planner.Dose;

/// <summary>The doses of consecutive segments of one round (<see cref="SegmentDoses.ComputeSegments"/>).</summary>
/// <param name="First">Index of the first segment.</param>
/// <param name="DosePerMu">Dose per MU of each segment (Gy), one value per grid voxel.</param>
/// <param name="SigmaPerMu">Absolute 1σ of each (Gy per MU).</param>
/// <param name="Histories">Histories simulated.</param>
/// <param name="Seconds">Transport seconds.</param>
public sealed record SegmentUnitResult(int First, float[][] DosePerMu, float[][] SigmaPerMu, long Histories, double Seconds);
