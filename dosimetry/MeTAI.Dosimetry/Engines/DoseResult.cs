using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Analysis;

namespace MeTAI.Dosimetry.Engines;

/// <summary>
/// The outcome of a dose calculation: dose grid, per-voxel relative uncertainty (batch method) and the summary
/// figures a report or benchmark needs.
/// </summary>
public sealed class DoseResult
{
    /// <summary>Dose per voxel: Gy for the beam's MU when it is calibrated, else Gy per source particle (see <see cref="DoseUnit"/>).</summary>
    public required VoxelGrid<float> Dose { get; init; }

    /// <summary>"Gy" or "Gy/history".</summary>
    public required string DoseUnit { get; init; }

    /// <summary>True when <see cref="Dose"/> is dose to water, false for dose to medium.</summary>
    public required bool IsDoseToWater { get; init; }

    /// <summary>Relative 1σ statistical uncertainty per voxel (0 where no dose).</summary>
    public required VoxelGrid<float> RelativeUncertainty { get; init; }

    /// <summary>Dose of each batch in the same unit as <see cref="Dose"/> (only when requested).</summary>
    public IReadOnlyList<float[]>? BatchDoses { get; init; }

    /// <summary>Histories simulated.</summary>
    public required long Histories { get; init; }

    /// <summary>Batches used.</summary>
    public required int Batches { get; init; }

    /// <summary>Wall-clock transport time in seconds (kernel launches and tally reads; excludes setup).</summary>
    public required double Seconds { get; init; }

    /// <summary>
    /// CPU time the whole process used during the transport loop, s (on the CPU accelerator: the kernel threads; a
    /// machine shared with other work shows it as wall time well above CPU time / cores).
    /// </summary>
    public double ProcessCpuSeconds { get; internal set; }

    /// <summary>Histories per second.</summary>
    public double HistoriesPerSecond => Seconds > 0 ? Histories / Seconds : 0;

    /// <summary>
    /// Mean relative uncertainty over voxels with D &gt; 50 % of the maximum dose (fraction); air voxels (below
    /// <see cref="MonteCarloEngine.MinReportDensityGPerCm3"/>) are left out of both.
    /// </summary>
    public required double MeanRelUncertaintyAbove50 { get; init; }

    /// <summary>Efficiency 1/(σ²·T) with σ = <see cref="MeanRelUncertaintyAbove50"/> and T = <see cref="Seconds"/>, 1/s.</summary>
    public double Efficiency => MeanRelUncertaintyAbove50 > 0 && Seconds > 0 ? 1 / (MeanRelUncertaintyAbove50 * MeanRelUncertaintyAbove50 * Seconds) : 0;

    /// <summary>The target the run stopped on (null: a fixed history count).</summary>
    public UncertaintyTarget? Target { get; init; }

    /// <summary>Why the run to <see cref="Target"/> stopped (null without a target).</summary>
    public StopReason? Stop { get; init; }

    /// <summary>Mean relative σ over the stopping region when the run stopped (fraction; null without a target).</summary>
    public double? StoppingUncertainty { get; init; }

    /// <summary>Its upper confidence bound at the target's confidence, the figure the rule compared with the target (null without a target).</summary>
    public double? StoppingUpperBound { get; init; }

    /// <summary>Accelerator that ran the kernels.</summary>
    public required string DeviceName { get; init; }

    /// <summary>Maximum dose over voxels of at least <see cref="MonteCarloEngine.MinReportDensityGPerCm3"/>.</summary>
    public required double MaxDose { get; init; }

    /// <summary>Energy of source particles that entered the grid, MeV.</summary>
    public required double IncidentEnergyMeV { get; init; }

    /// <summary>Energy deposited in the grid, MeV.</summary>
    public required double DepositedEnergyMeV { get; init; }

    /// <summary>Energy that left the grid, MeV.</summary>
    public required double EscapedEnergyMeV { get; init; }

    /// <summary>Primary photons that crossed the grid without interacting.</summary>
    public required long UnscatteredPrimaries { get; init; }

    /// <summary>Source particles that entered the grid.</summary>
    public required long EnteredPrimaries { get; init; }

    /// <summary>Deepest point a primary electron reached along the beam axis from its entry point, mm.</summary>
    public required double MaxPrimaryElectronDepthMm { get; init; }

    /// <summary>Primary electrons whose deepest point lay beyond <see cref="DoseRequest.DepthProbeMm"/>.</summary>
    public long PrimariesBeyondDepthProbe { get; init; }

    /// <summary>Particles absorbed in place because a per-thread stack was full (should be 0).</summary>
    public required long StackOverflows { get; init; }

    /// <summary>Histories per MU used for the scaling (null without calibration).</summary>
    public double? HistoriesPerMu { get; init; }

    /// <summary>Dose along the beam's central axis from the surface (first voxel ≥ 0.5 g/cm³ on the axis; null when the axis misses the grid).</summary>
    public DepthDoseCurve? CentralAxis { get; init; }

    /// <summary>Depth of maximum dose on the central axis, mm (null when the axis misses the grid).</summary>
    public double? DmaxMm => CentralAxis?.DmaxMm;

    /// <summary>Lateral profile along the beam-limiting-device X axis at 100 mm depth (null when not inside the grid).</summary>
    public DoseProfile? LateralProfile { get; init; }
}
