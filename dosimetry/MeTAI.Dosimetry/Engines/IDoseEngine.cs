namespace MeTAI.Dosimetry.Engines;

/// <summary>A dose engine; a caller first asks whether it can run here (matRad-style engine selection).</summary>
public interface IDoseEngine
{
    /// <summary>Short name for logs and reports.</summary>
    string Name { get; }

    /// <summary>True when the engine can run on this machine.</summary>
    bool IsAvailable { get; }

    /// <summary>Computes the dose of <paramref name="request"/>; reports progress in [0, 1]; honours cancellation between launches.</summary>
    DoseResult Run(DoseRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default);
}
