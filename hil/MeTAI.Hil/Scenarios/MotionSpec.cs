using MeTAI.Core.Geometry;
using MeTAI.Simulation.Haptics;

namespace MeTAI.Hil.Scenarios;

/// <summary>A master motion as a scenario describes it (resolved to a <see cref="MasterMotion"/> when played).</summary>
public sealed record MotionSpec
{
    /// <summary>hold, line, ramp, circle, sine or file.</summary>
    public required string Kind { get; init; }

    /// <summary>Velocity (line, m/s), target (ramp, m) or amplitude (sine, m), master frame.</summary>
    public Vec3 Vector { get; init; }

    /// <summary>Circle radius (m).</summary>
    public double RadiusM { get; init; } = 0.01;

    /// <summary>Period (s) of circle or sine.</summary>
    public double PeriodS { get; init; } = 2;

    /// <summary>Ramp duration (s).</summary>
    public double DurationS { get; init; } = 1;

    /// <summary>Line: stop after this distance (m).</summary>
    public double MaxDistanceM { get; init; } = double.PositiveInfinity;

    /// <summary>Motion file (absolute, resolved against the scenario file).</summary>
    public string? File { get; init; }

    /// <summary>The motion.</summary>
    public MasterMotion Build() => Kind switch
    {
        "hold" => MasterMotion.Hold(),
        "line" => MasterMotion.Line(Vector, MaxDistanceM),
        "ramp" => MasterMotion.Ramp(Vector, DurationS),
        "circle" => MasterMotion.Circle(RadiusM, PeriodS),
        "sine" => MasterMotion.Sine(Vector, PeriodS),
        "file" => MasterMotion.FromCsv(File!),
        _ => throw new InvalidOperationException("unknown motion " + Kind),
    };
}
