namespace MeTAI.Dosimetry.Engines;

/// <summary>
/// The one-call entry point for the CLI and service: opens the requested device, runs the Monte Carlo engine and
/// returns the dose with its uncertainty and summary figures.
/// </summary>
public static class DoseCalculation
{
    /// <summary>Runs <paramref name="request"/> on <paramref name="device"/>.</summary>
    public static DoseResult Run(DoseRequest request, IProgress<double>? progress = null, DeviceKind device = DeviceKind.Auto, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var engine = new MonteCarloEngine(device);
        return engine.Run(request, progress, cancellationToken);
    }
}
