using System.Globalization;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Benchmarks.Dose;

/// <summary>Outcome of a <see cref="DoseBenchmark"/> run.</summary>
public sealed record DoseBenchmarkResult(
    string Device,
    long Histories,
    double Seconds,
    double HistoriesPerSecond,
    double MeanRelUncertaintyAbove50,
    double Efficiency,
    int ProcessorCount,
    DateTime DateUtc,
    double ProcessCpuSeconds)
{
    /// <summary>
    /// Efficiency the run would have had with every logical CPU to itself: 1/(σ² · CPU time / CPUs). Equals
    /// <see cref="Efficiency"/> on an otherwise idle machine; higher when other work shared the cores.
    /// </summary>
    public double EfficiencyPerDedicatedCpus => MeanRelUncertaintyAbove50 > 0 && ProcessCpuSeconds > 0
        ? ProcessorCount / (MeanRelUncertaintyAbove50 * MeanRelUncertaintyAbove50 * ProcessCpuSeconds)
        : 0;

    /// <summary>One line for logs and docs/benchmarks.md.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Device}: {Histories:N0} histories in {Seconds:F1} s = {HistoriesPerSecond:N0} histories/s; mean uncertainty (D > 50 % Dmax) {100 * MeanRelUncertaintyAbove50:F2} %; efficiency 1/(σ²T) = {Efficiency:F1} s⁻¹ ({ProcessorCount} logical CPUs; process CPU time {ProcessCpuSeconds:F1} s, i.e. {EfficiencyPerDedicatedCpus:F1} s⁻¹ with the CPUs to itself)");
}

/// <summary>The point model and the full model on the same set-up: <paramref name="CostRatio"/> = full ÷ point seconds per history.</summary>
public sealed record DoseModelComparison(DoseBenchmarkResult Point, DoseBenchmarkResult Full, double CostRatio)
{
    /// <summary>Three lines for logs and docs/benchmarks.md.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"6MV-point: {Point}\n6MV (full model): {Full}\ncost per history, full ÷ point: {CostRatio:F3} (efficiency ratio full ÷ point {Full.Efficiency / Point.Efficiency:F3})");
}

/// <summary>
/// The reference benchmark of docs/benchmarks.md: the <see cref="ReferenceSetup"/> (30 cm water cube, 5 mm voxels,
/// 6 MV Mohan point source, 10 × 10 cm² at SSD 100 cm, isocentre on the surface, 10 batches). A warm-up run compiles the kernel, a short run
/// measures the speed, then the timed run simulates about <c>seconds</c> worth of histories.
/// </summary>
public static class DoseBenchmark
{
    /// <summary>Runs the benchmark on <paramref name="device"/> for about <paramref name="seconds"/> seconds.</summary>
    public static DoseBenchmarkResult Run(DeviceKind device = DeviceKind.Auto, double seconds = 60, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        using var engine = new MonteCarloEngine(device);
        return Run(engine, seconds, progress, cancellationToken);
    }

    /// <summary>Runs the benchmark on an open engine (the point model).</summary>
    public static DoseBenchmarkResult Run(MonteCarloEngine engine, double seconds, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        Run(engine, seconds, ReferenceSetup.Water6Mv10x10, progress, cancellationToken);

    /// <summary>
    /// Runs the point model and the full 6MV model (virtual sources, attenuating jaws) on the same set-up, each for
    /// about <paramref name="seconds"/>/2 twice, interleaved (point, full, point, full) so a machine shared with other
    /// work slows both alike; the better run of each is kept.
    /// </summary>
    public static DoseModelComparison Compare(DeviceKind device, double seconds, CancellationToken cancellationToken = default)
    {
        using var engine = new MonteCarloEngine(device);
        DoseBenchmarkResult p1 = Run(engine, seconds / 4, ReferenceSetup.Water6Mv10x10, null, cancellationToken);
        DoseBenchmarkResult f1 = Run(engine, seconds / 4, ReferenceSetup.Water6Mv10x10FullModel, null, cancellationToken);
        DoseBenchmarkResult p2 = Run(engine, seconds / 4, ReferenceSetup.Water6Mv10x10, null, cancellationToken);
        DoseBenchmarkResult f2 = Run(engine, seconds / 4, ReferenceSetup.Water6Mv10x10FullModel, null, cancellationToken);
        DoseBenchmarkResult point = p1.HistoriesPerSecond >= p2.HistoriesPerSecond ? p1 : p2, full = f1.HistoriesPerSecond >= f2.HistoriesPerSecond ? f1 : f2;
        return new DoseModelComparison(point, full, point.HistoriesPerSecond / full.HistoriesPerSecond);
    }

    private static DoseBenchmarkResult Run(MonteCarloEngine engine, double seconds, Func<long, ulong, DoseRequest> setup, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        // The first run pays for kernel compilation; the second measures the speed that sizes the timed run.
        long warmHistories = engine.IsCuda ? 10_000_000 : 100_000;
        engine.Run(setup(warmHistories, 1), null, cancellationToken);
        DoseResult probe = engine.Run(setup(4 * warmHistories, 2), null, cancellationToken);
        long histories = Math.Max(100_000, (long)(probe.HistoriesPerSecond * seconds));
        DoseResult r = engine.Run(setup(histories, 12345), progress, cancellationToken);
        return new DoseBenchmarkResult(r.DeviceName, r.Histories, r.Seconds, r.HistoriesPerSecond, r.MeanRelUncertaintyAbove50, r.Efficiency, Environment.ProcessorCount, DateTime.UtcNow, r.ProcessCpuSeconds);
    }
}
