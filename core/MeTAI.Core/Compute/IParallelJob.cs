namespace MeTAI.Core.Compute;

/// <summary>
/// Work split into numbered items that <see cref="WorkerPool"/> hands to whichever thread is free. The job object is
/// created once and reused (its fields carry the inputs of the next run), so dispatching allocates nothing.
/// </summary>
public interface IParallelJob
{
    /// <summary>Runs item <paramref name="item"/> (0-based); the items of one run must be independent of one another.</summary>
    void Execute(int item);
}
