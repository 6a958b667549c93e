namespace MeTAI.Planner.Plans;

/// <summary>The stages of a <see cref="PlanPipeline"/> run, in the order they run.</summary>
public enum PlanStage
{
    /// <summary>Rings, isocentre, beams and beamlet grids, the voxel phantom.</summary>
    Preparing,

    /// <summary>One Monte Carlo run per beamlet into the influence matrix (or the cache load).</summary>
    Influence,

    /// <summary>Fluence optimisation and its goal-driven re-weighting rounds.</summary>
    Optimization,

    /// <summary>Leaf sequencing and segment weight optimisation.</summary>
    Sequencing,

    /// <summary>Monte Carlo dose of every segment, segment weights on those doses, denoising and normalisation.</summary>
    FinalDose,

    /// <summary>Metrics, DVHs and goals of the final dose.</summary>
    Evaluation,
}
