using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Instruments;

namespace MeTAI.Rehearsal.Search;

/// <summary>What one simulated insertion gave.</summary>
public sealed record InsertionResult
{
    /// <summary>Skin entry point (planned), LPS mm.</summary>
    public required Vec3 EntryLps { get; init; }

    /// <summary>Target point (planned, rest position), LPS mm.</summary>
    public required Vec3 TargetLps { get; init; }

    /// <summary>Smallest clearance to any avoided ROI during the insertion (deformed), mm.</summary>
    public required double MinClearanceMm { get; init; }

    /// <summary>Smallest clearance per avoided ROI, mm.</summary>
    public required IReadOnlyDictionary<string, double> ClearanceByRoiMm { get; init; }

    /// <summary>Largest axial force on the needle, N.</summary>
    public required double PeakForceN { get; init; }

    /// <summary>Distance from the final tip to the deformed target, mm.</summary>
    public required double TargetErrorMm { get; init; }

    /// <summary>Entry to target, mm.</summary>
    public required double PathLengthMm { get; init; }

    /// <summary>Puncture events.</summary>
    public required IReadOnlyList<PunctureEvent> Punctures { get; init; }

    /// <summary>True when the tip met fixed tissue (bone).</summary>
    public required bool BlockedByBone { get; init; }

    /// <summary>True when the skin was punctured.</summary>
    public bool PuncturedSkin => Punctures.Count > 0;

    /// <summary>Final tip, LPS mm.</summary>
    public required Vec3 FinalTipLps { get; init; }

    /// <summary>Deformed target at the end, LPS mm.</summary>
    public required Vec3 FinalTargetLps { get; init; }

    /// <summary>Steps simulated.</summary>
    public required int Steps { get; init; }

    /// <summary>Wall-clock seconds the simulation took.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Axial force per step (sampled every <see cref="ForceSampleEverySteps"/> steps), N.</summary>
    public required float[] AxialForceTraceN { get; init; }

    /// <summary>Sampling interval of <see cref="AxialForceTraceN"/>, steps.</summary>
    public required int ForceSampleEverySteps { get; init; }
}
