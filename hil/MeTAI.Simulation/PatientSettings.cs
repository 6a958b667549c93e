using MeTAI.Core.Geometry;

namespace MeTAI.Simulation;

/// <summary>The patient-motion twin of a <see cref="SimulatedRig"/> (a HIL scenario's <c>patient:</c>).</summary>
public sealed record PatientSettings
{
    /// <summary>Breathing amplitude (mm).</summary>
    public double AmplitudeMm { get; init; } = 1.5;

    /// <summary>Breathing period (s).</summary>
    public double PeriodS { get; init; } = 4;

    /// <summary>Breathing axis (LPS).</summary>
    public Vec3 Axis { get; init; } = new(0, 0, 1);

    /// <summary>Publishing rate (Hz).</summary>
    public double RateHz { get; init; } = 50;
}
