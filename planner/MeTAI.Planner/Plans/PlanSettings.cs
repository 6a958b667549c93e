using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Optimization.Solver;

namespace MeTAI.Planner.Plans;

/// <summary>
/// How <see cref="PlanPipeline"/> runs. The defaults are sized for a prostate plan on 5 mm voxels in about two
/// minutes on two quiet cores. The histories are what keeps the optimiser from fitting the fluence to Monte Carlo noise
/// (docs/planning.md, "Why the prostate's PTV D5 sits at its goal"): with 5 000 per beamlet and 15 M final the plan the
/// optimiser believed homogeneous came out about 5 Gy hotter at D5 in its final dose.
/// </summary>
public sealed record PlanSettings
{
    /// <summary>Number of beams (null: the protocol's).</summary>
    public int? BeamCount { get; init; }

    /// <summary>Monte Carlo histories per 5 × 5 mm beamlet on 5 mm voxels (scaled with the grid when <see cref="ScaleBeamletHistoriesWithGrid"/>).</summary>
    public long HistoriesPerBeamlet { get; init; } = 20_000;

    /// <summary>
    /// Scale the beamlet histories with voxel volume and beamlet area (<see cref="Influence.InfluenceSettings.HistoriesFor"/>),
    /// so the influence matrix has the same relative noise at any grid as <see cref="HistoriesPerBeamlet"/> gives at 5 mm.
    /// </summary>
    public bool ScaleBeamletHistoriesWithGrid { get; init; } = true;

    /// <summary>Savitzky–Golay window along each beamlet's ray (0: raw beamlet doses); see <see cref="Influence.DepthSmoother"/>.</summary>
    public int BeamletDepthSmoothing { get; init; } = 9;

    /// <summary>Influence entries below this fraction of their beamlet's maximum are dropped.</summary>
    public double RelativeCutoff { get; init; } = 1e-3;

    /// <summary>Histories of the final dose on the sequenced apertures (all beams together).</summary>
    public long FinalHistories { get; init; } = 45_000_000;

    /// <summary>
    /// Run the final dose to this mean relative σ, % (over D &gt; 50 % Dmax, or <see cref="FinalUncertaintyRoi"/>) instead
    /// of <see cref="FinalHistories"/> (null: the fixed count); see <see cref="Dose.SegmentDosesToTarget"/>.
    /// </summary>
    public double? FinalUncertaintyPercent { get; init; }

    /// <summary>
    /// The final-dose target `metai plan` and the service use when no history count is given, % (issue 23). The record's
    /// own default stays the fixed <see cref="FinalHistories"/>, so code that builds settings (tests, the demo) keeps
    /// its run time.
    /// </summary>
    public const double DefaultFinalUncertaintyPercent = 1;

    /// <summary>The ROI the final-dose σ target is taken over (null: the voxels above 50 % of the maximum).</summary>
    public string? FinalUncertaintyRoi { get; init; }

    /// <summary>History cap of a final dose run to <see cref="FinalUncertaintyPercent"/>.</summary>
    public long MaxFinalHistories { get; init; } = 2_000_000_000;

    /// <summary>The first round (pilot) of a final dose run to <see cref="FinalUncertaintyPercent"/>, histories.</summary>
    public long FinalPilotHistories { get; init; } = 10_000_000;

    /// <summary>Random seed of all Monte Carlo runs.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Voxels within this distance of the targets (inside the body) get influence-matrix rows besides the protocol's structures, mm.</summary>
    public double RowMarginMm { get; init; } = 30;

    /// <summary>Monte Carlo device.</summary>
    public DeviceKind Device { get; init; } = DeviceKind.Auto;

    /// <summary>Influence cache file (null: no cache).</summary>
    public string? CachePath { get; init; }

    /// <summary>Refuse influence matrices larger than this (bytes; 0: 80 % of the available memory).</summary>
    public long MaxInfluenceBytes { get; init; }

    /// <summary>Optimiser settings.</summary>
    public OptimizerOptions Optimizer { get; init; } = new();

    /// <summary>Strength λ of the fluence-smoothness term (0: off); see <see cref="Optimization.FluenceSmoothing"/>.</summary>
    public double FluenceSmoothing { get; init; } = 100;

    /// <summary>Re-optimisations with boosted weights when predicted goals fail.</summary>
    public int ReweightRounds { get; init; } = 3;

    /// <summary>Upper-limit goals must be met with this relative margin on the predicted dose before the re-weighting stops (sequencing and Monte Carlo noise eat into it).</summary>
    public double GoalMargin { get; init; } = 0.03;

    /// <summary>Upper-limit goals must be met with this relative margin on the final dose before the Monte Carlo segment re-weighting stops.</summary>
    public double FinalGoalMargin { get; init; } = 0.01;

    /// <summary>Re-optimise segment MUs after sequencing.</summary>
    public bool SegmentWeightOptimization { get; init; } = true;

    /// <summary>Re-optimise segment MUs once more on the Monte Carlo dose of each segment (<see cref="Dose.SegmentDoses"/>).</summary>
    public bool MonteCarloSegmentWeights { get; init; } = true;

    /// <summary>Leaf width at the isocentre, mm.</summary>
    public double LeafWidthMm { get; init; } = 5;

    /// <summary>MLC leaf pairs (80 pairs of 5 mm span 400 mm at the isocentre).</summary>
    public int LeafPairs { get; init; } = 80;

    /// <summary>Intensity levels (null: the protocol's).</summary>
    public int? SequencingLevels { get; init; }

    /// <summary>Minimum segment MU per fraction (null: the protocol's).</summary>
    public double? MinSegmentMu { get; init; }

    /// <summary>Run the influence-matrix products through ILGPU instead of the CPU kernels.</summary>
    public bool IlgpuSpmv { get; init; }

    /// <summary>Denoise the final Monte Carlo dose (<see cref="Dose.DoseDenoiser"/>); the raw dose's goals are reported too.</summary>
    public bool Denoise { get; init; } = true;

    /// <summary>Beam model name in configs/beams.</summary>
    public string BeamModel { get; init; } = "6MV-point";

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (BeamCount is < 1 or > 99 || HistoriesPerBeamlet < 100 || FinalHistories < 10_000 || RowMarginMm < 0 || ReweightRounds < 0 || GoalMargin < 0 || !(LeafWidthMm > 0) || LeafPairs < 1)
        {
            throw new ArgumentException("Plan settings out of range: beams 1–99, ≥ 100 histories per beamlet, ≥ 10 000 final histories, non-negative margins and rounds, positive leaf width, at least one leaf pair.");
        }

        if (FinalUncertaintyPercent is double pct && !(pct > 0 && pct < 100))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Final-dose uncertainty target {pct} %: give a percentage in (0, 100)."));
        }

        if (FinalUncertaintyRoi is not null && FinalUncertaintyPercent is null)
        {
            throw new ArgumentException("A final-dose uncertainty ROI needs a final-dose uncertainty target.");
        }

        if (FinalPilotHistories < 10_000 || MaxFinalHistories < 100_000)
        {
            throw new ArgumentException("The final-dose pilot needs at least 10 000 histories and the history cap at least 100 000.");
        }

        Optimizer.Validate();
    }

    /// <summary>The final dose's target (null: <see cref="FinalHistories"/>); the pilot is <see cref="FinalPilotHistories"/> or a tenth of the cap.</summary>
    public Dosimetry.Analysis.UncertaintyTarget? FinalTarget() => FinalUncertaintyPercent is double pct
        ? new Dosimetry.Analysis.UncertaintyTarget { RelativeUncertainty = pct / 100, MaxHistories = MaxFinalHistories, PilotHistories = Math.Min(FinalPilotHistories, MaxFinalHistories / 10) }
        : null;
}
