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

    /// <summary>Runs the benchmark on an open engine.</summary>
    public static DoseBenchmarkResult Run(MonteCarloEngine engine, double seconds, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        // The first run pays for kernel compilation; the second measures the speed that sizes the timed run.
        long warmHistories = engine.IsCuda ? 10_000_000 : 100_000;
        engine.Run(ReferenceSetup.Water6Mv10x10(warmHistories, seed: 1), null, cancellationToken);
        DoseResult probe = engine.Run(ReferenceSetup.Water6Mv10x10(4 * warmHistories, seed: 2), null, cancellationToken);
        long histories = Math.Max(100_000, (long)(probe.HistoriesPerSecond * seconds));
        DoseResult r = engine.Run(ReferenceSetup.Water6Mv10x10(histories), progress, cancellationToken);
        return new DoseBenchmarkResult(r.DeviceName, r.Histories, r.Seconds, r.HistoriesPerSecond, r.MeanRelUncertaintyAbove50, r.Efficiency, Environment.ProcessorCount, DateTime.UtcNow, r.ProcessCpuSeconds);
    }
}
