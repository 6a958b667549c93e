using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Dose;

/// <summary>The Monte Carlo dose of a whole plan: the sum of its beams, with the combined statistical uncertainty.</summary>
public sealed class PlanDose
{
    /// <summary>Dose, Gy (for the MU scale asked for: per fraction or the whole course); denoised when <see cref="Denoised"/>.</summary>
    public required VoxelGrid<float> DoseGy { get; init; }

    /// <summary>Relative 1σ uncertainty per voxel of <see cref="DoseGy"/> (combined over beams: √Σ(d_b σ_b)² / Σ d_b; after denoising its propagated estimate).</summary>
    public required VoxelGrid<float> RelativeUncertainty { get; init; }

    /// <summary>Mean relative uncertainty of <see cref="DoseGy"/> over voxels above 50 % of the maximum (tissue only).</summary>
    public required double MeanRelUncertaintyAbove50 { get; init; }

    /// <summary>The Monte Carlo dose as simulated, Gy (the same grid as <see cref="DoseGy"/> when not denoised).</summary>
    public required VoxelGrid<float> RawDoseGy { get; init; }

    /// <summary>Relative 1σ uncertainty per voxel of <see cref="RawDoseGy"/>.</summary>
    public required VoxelGrid<float> RawRelativeUncertainty { get; init; }

    /// <summary>Mean relative uncertainty of <see cref="RawDoseGy"/> above 50 % of the maximum.</summary>
    public required double RawMeanRelUncertaintyAbove50 { get; init; }

    /// <summary>True when <see cref="DoseGy"/> went through <see cref="DoseDenoiser"/>.</summary>
    public bool Denoised { get; init; }

    /// <summary>Fraction of the candidate voxel-axis steps the denoiser smoothed.</summary>
    public double SmoothedFraction { get; init; }

    /// <summary>One line per simulated beam.</summary>
    public required IReadOnlyList<BeamDoseRecord> Beams { get; init; }

    /// <summary>Histories in all.</summary>
    public long Histories => HistoriesSimulated;

    /// <summary>Histories in all (set by the calculator).</summary>
    public required long HistoriesSimulated { get; init; }

    /// <summary>Wall-clock seconds of all transport.</summary>
    public required double Seconds { get; init; }

    /// <summary>Accelerator that ran the transport.</summary>
    public required string DeviceName { get; init; }

    /// <summary>Maximum of <see cref="DoseGy"/>, Gy: the dose is 0 outside the body and in air (<see cref="DoseMask"/>), so this is the maximum the RT Dose holds.</summary>
    public required double MaxDoseGy { get; init; }

    /// <summary>The body the dose is kept inside: the body ROI's name, or <see cref="BodyOutline.Name"/>.</summary>
    public required string Body { get; init; }

    /// <summary>True when the dose is dose to water, false for dose to medium.</summary>
    public bool IsDoseToWater { get; init; }

    /// <summary>The target the dose was run to (null: a fixed history count).</summary>
    public Dosimetry.Analysis.UncertaintyTarget? Target { get; init; }

    /// <summary>Why the run to <see cref="Target"/> stopped (null without a target).</summary>
    public Dosimetry.Analysis.StopReason? Stop { get; init; }

    /// <summary>Mean relative σ of the raw dose over the stopping region when it stopped, at the sequenced MUs (null without a target).</summary>
    public double? StoppingUncertainty { get; init; }

    /// <summary>Its upper confidence bound, compared with the target (null without a target).</summary>
    public double? StoppingUpperBound { get; init; }

    /// <summary>This dose with how its run to <paramref name="target"/> ended.</summary>
    internal PlanDose WithOutcome(Dosimetry.Analysis.UncertaintyTarget target, Dosimetry.Analysis.StopReason stop, double sigma, double upperBound) => new()
    {
        DoseGy = DoseGy,
        RelativeUncertainty = RelativeUncertainty,
        MeanRelUncertaintyAbove50 = MeanRelUncertaintyAbove50,
        RawDoseGy = RawDoseGy,
        RawRelativeUncertainty = RawRelativeUncertainty,
        RawMeanRelUncertaintyAbove50 = RawMeanRelUncertaintyAbove50,
        Denoised = Denoised,
        SmoothedFraction = SmoothedFraction,
        Beams = Beams,
        HistoriesSimulated = HistoriesSimulated,
        Seconds = Seconds,
        DeviceName = DeviceName,
        MaxDoseGy = MaxDoseGy,
        Body = Body,
        IsDoseToWater = IsDoseToWater,
        Target = target,
        Stop = stop,
        StoppingUncertainty = sigma,
        StoppingUpperBound = upperBound,
    };
}

/// <summary>What one beam of a plan cost and gave.</summary>
/// <param name="BeamNumber">RTPLAN beam number.</param>
/// <param name="MonitorUnits">MU simulated (after scaling).</param>
/// <param name="Rectangles">Open rectangles of its (combined, weighted) aperture.</param>
/// <param name="Histories">Histories.</param>
/// <param name="Seconds">Transport seconds.</param>
/// <param name="MeanRelUncertaintyAbove50">The beam's own mean uncertainty above 50 % of its maximum.</param>
public readonly record struct BeamDoseRecord(int BeamNumber, double MonitorUnits, int Rectangles, long Histories, double Seconds, double MeanRelUncertaintyAbove50);
