namespace MeTAI.Planner.Plans.Stages;

/// <summary>
/// One step of <see cref="PlanPipeline"/>: it reads what the stages before it left in the <see cref="PlanContext"/> and
/// adds its own products. The pipeline reports the stage's start (and its end, when the stage names one) and times it.
/// </summary>
internal interface IPlanStage
{
    /// <summary>The stage, as progress reports and timings name it.</summary>
    PlanStage Stage { get; }

    /// <summary>What the stage's first report (fraction 0) says.</summary>
    string Starting(PlanContext context);

    /// <summary>Runs the stage.</summary>
    void Run(PlanContext context);

    /// <summary>What a report at the stage's end (fraction 1) says, or null for none.</summary>
    string? Finished(PlanContext context);
}
