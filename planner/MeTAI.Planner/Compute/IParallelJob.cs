namespace MeTAI.Planner.Compute;

/// <summary>
/// Work split into numbered chunks that <see cref="WorkerPool"/> hands to whichever thread is free. The job object is
/// created once and reused, so dispatching allocates nothing.
/// </summary>
public interface IParallelJob
{
    /// <summary>Runs chunk <paramref name="chunk"/> (0-based); chunks must be independent of one another.</summary>
    void Execute(int chunk);
}
