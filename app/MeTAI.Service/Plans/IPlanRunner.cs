namespace MeTAI.Service.Plans;

/// <summary>
/// What runs a plan job (<see cref="PlannerRunner"/>; tests may substitute their own). The worker hands it a resolved
/// request and an empty output directory; the runner writes the planner's file set there (<c>ct/</c>,
/// <c>rtstruct.dcm</c>, <c>rtplan.dcm</c>, <c>rtdose.dcm</c>, <c>report.json</c> with <c>goals</c> and
/// <c>metrics</c>, <c>dvh.json</c>), reports progress from 0 to 1 and stops promptly when cancelled. Everything the
/// API and the web interface show afterwards (DVH, slices, downloads) is read back from those files.
/// </summary>
public interface IPlanRunner
{
    /// <summary>Short name recorded with each job (<c>planner</c>).</summary>
    string Name { get; }

    /// <summary>Plans <paramref name="request"/> into <paramref name="outputDirectory"/>.</summary>
    /// <param name="request">What to plan, with the case and protocol resolved to files.</param>
    /// <param name="outputDirectory">An empty directory for the outputs.</param>
    /// <param name="progress">Progress from 0 to 1 with a short phase text.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    Task<PlanOutcome> RunAsync(PlanJobRequest request, string outputDirectory, IProgress<PlanProgress> progress, CancellationToken cancellationToken);
}
