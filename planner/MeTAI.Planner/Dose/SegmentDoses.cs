using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Dose;

/// <summary>
/// Monte Carlo dose per MU of every deliverable segment (one MLC aperture of one beam), each with its batch-method
/// uncertainty. A plan's dose is linear in its segment MUs, so Σₛ MUₛ·Dₛ is the Monte Carlo dose of the plan for any
/// segment weights: the segment weights can be re-optimised on these doses (removing the error the beamlet matrix's
/// noise left in the fluence optimisation) and the result is still a Monte Carlo dose of the deliverable apertures.
/// </summary>
public sealed class SegmentDoses
{
    private SegmentDoses(GridGeometry grid, IReadOnlyList<DeliverySegment> segments, float[][] dosePerMu, float[][] sigmaPerMu, long histories, double seconds, string device)
    {
        Grid = grid;
        Segments = segments;
        DosePerMu = dosePerMu;
        SigmaPerMu = sigmaPerMu;
        Histories = histories;
        Seconds = seconds;
        DeviceName = device;
    }

    /// <summary>The dose grid.</summary>
    public GridGeometry Grid { get; }

    /// <summary>The segments, in plan order.</summary>
    public IReadOnlyList<DeliverySegment> Segments { get; }

    /// <summary>Dose per MU of each segment (Gy), one value per grid voxel.</summary>
    public float[][] DosePerMu { get; }

    /// <summary>Absolute 1σ of <see cref="DosePerMu"/> per voxel (Gy per MU).</summary>
    public float[][] SigmaPerMu { get; }

    /// <summary>Histories simulated in all.</summary>
    public long Histories { get; }

    /// <summary>Transport seconds.</summary>
    public double Seconds { get; }

    /// <summary>Accelerator.</summary>
    public string DeviceName { get; }

    /// <summary>Batches per segment (10 per round of <see cref="SegmentDosesToTarget"/>; 10 for a fixed history count).</summary>
    public int Batches { get; private init; } = 10;

    /// <summary>The target the doses were run to (null: a fixed history count).</summary>
    public Dosimetry.Analysis.UncertaintyTarget? Target { get; init; }

    /// <summary>Why the run to <see cref="Target"/> stopped (null without a target).</summary>
    public Dosimetry.Analysis.StopReason? Stop { get; init; }

    /// <summary>Mean relative σ over the stopping region when it stopped (fraction; null without a target).</summary>
    public double? StoppingUncertainty { get; init; }

    /// <summary>Its upper confidence bound, the figure compared with the target (null without a target).</summary>
    public double? StoppingUpperBound { get; init; }

    /// <summary>These doses with how their run to <paramref name="target"/> ended.</summary>
    internal SegmentDoses WithOutcome(Dosimetry.Analysis.UncertaintyTarget target, Dosimetry.Analysis.StopReason stop, double sigma, double upperBound) =>
        new(Grid, Segments, DosePerMu, SigmaPerMu, Histories, Seconds, DeviceName)
        {
            Batches = Batches,
            Target = target,
            Stop = stop,
            StoppingUncertainty = sigma,
            StoppingUpperBound = upperBound,
        };

    /// <summary>
    /// Two independent runs of the same segments as one: per segment and voxel the history-weighted mean
    /// (h₁D₁ + h₂D₂)/(h₁ + h₂) and its 1σ √(h₁²σ₁² + h₂²σ₂²)/(h₁ + h₂); each segment's histories are in the same
    /// proportion in both runs, so the weights are the runs' totals.
    /// </summary>
    public static SegmentDoses Combine(SegmentDoses first, SegmentDoses second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.DosePerMu.Length != second.DosePerMu.Length || first.Grid.VoxelCount != second.Grid.VoxelCount)
        {
            throw new ArgumentException("Only runs of the same segments on the same grid combine.", nameof(second));
        }

        double w1 = (double)first.Histories / (first.Histories + second.Histories), w2 = 1 - w1;
        var dose = new float[first.DosePerMu.Length][];
        var sigma = new float[first.DosePerMu.Length][];
        for (int s = 0; s < dose.Length; s++)
        {
            float[] d1 = first.DosePerMu[s], d2 = second.DosePerMu[s], s1 = first.SigmaPerMu[s], s2 = second.SigmaPerMu[s];
            var d = new float[d1.Length];
            var sg = new float[d1.Length];
            for (int v = 0; v < d.Length; v++)
            {
                d[v] = (float)(w1 * d1[v] + w2 * d2[v]);
                double a = w1 * s1[v], b = w2 * s2[v];
                sg[v] = (float)Math.Sqrt(a * a + b * b);
            }

            dose[s] = d;
            sigma[s] = sg;
        }

        return new SegmentDoses(first.Grid, first.Segments, dose, sigma, first.Histories + second.Histories, first.Seconds + second.Seconds, first.DeviceName)
        {
            Batches = first.Batches + second.Batches,
        };
    }

    /// <summary>
    /// Simulates every segment with <paramref name="histories"/> histories shared in proportion to the source particles
    /// its MU stand for (equal statistics per unit fluence), 10 batches each. <paramref name="progress"/> (optional)
    /// receives the fraction of the histories done after each segment; <paramref name="log"/> a line every 10 s.
    /// </summary>
    public static SegmentDoses Compute(MonteCarloEngine engine, BeamModel model, VoxelPhantom phantom, IReadOnlyList<DeliverySegment> segments, long histories, ulong seed,
        TextWriter? log = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(segments);
        SegmentRoundPlan round = SegmentRoundPlan.Create(model, segments, histories, seed);
        var dose = new float[segments.Count][];
        var sigma = new float[segments.Count][];
        long total = 0;
        var sw = Stopwatch.StartNew();
        double last = 0;
        using DoseSession session = engine.OpenSession(phantom);
        for (int s = 0; s < segments.Count; s++)
        {
            SegmentUnitResult r = ComputeSegments(session, round, s, 1, cancellationToken);
            dose[s] = r.DosePerMu[0];
            sigma[s] = r.SigmaPerMu[0];
            total += r.Histories;
            progress?.Report(Math.Min(1, total / (double)round.PlannedHistories));
            if (log is not null && (sw.Elapsed.TotalSeconds - last > 10 || s + 1 == segments.Count))
            {
                last = sw.Elapsed.TotalSeconds;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  segment doses: {s + 1}/{segments.Count} segments, {total / 1e6:0.0} M histories, {last:0} s"));
            }
        }

        return new SegmentDoses(phantom.Geometry, segments, dose, sigma, total, sw.Elapsed.TotalSeconds, engine.DeviceName);
    }

    /// <summary>
    /// Segments [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of <paramref name="round"/>
    /// on <paramref name="session"/>, each whole (10 batches): dose per MU and its absolute σ — the same bits as in
    /// <see cref="Compute"/>, whichever session or machine runs them.
    /// </summary>
    public static SegmentUnitResult ComputeSegments(DoseSession session, SegmentRoundPlan round, int first, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(round);
        if (first < 0 || count < 0 || first + count > round.Segments.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Segments [{first}, {first + count}) are not within the round's {round.Segments.Count}.");
        }

        var dose = new float[count][];
        var sigma = new float[count][];
        long histories = 0;
        var sw = Stopwatch.StartNew();
        for (int k = 0; k < count; k++)
        {
            int s = first + k;
            DoseResult r = session.Run(round.Setups[s], round.Histories[s], round.Seeds[s], 10, null, cancellationToken);
            float[] d = r.Dose.Data, u = r.RelativeUncertainty.Data;
            var sg = new float[d.Length];
            for (int v = 0; v < d.Length; v++)
            {
                sg[v] = d[v] * u[v];
            }

            dose[k] = d;
            sigma[k] = sg;
            histories += r.Histories;
        }

        return new SegmentUnitResult(first, dose, sigma, histories, sw.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// A round's doses from its parts (<see cref="ComputeSegments"/>, in any grouping): every segment exactly once, put in
    /// segment order. <paramref name="seconds"/> is the round's transport time as the caller counts it.
    /// </summary>
    public static SegmentDoses Assemble(GridGeometry grid, SegmentRoundPlan round, IEnumerable<SegmentUnitResult> parts, double seconds, string device)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(parts);
        int n = round.Segments.Count;
        var dose = new float[n][];
        var sigma = new float[n][];
        long total = 0;
        foreach (SegmentUnitResult part in parts)
        {
            for (int k = 0; k < part.DosePerMu.Length; k++)
            {
                int s = part.First + k;
                if (s < 0 || s >= n || dose[s] is not null)
                {
                    throw new ArgumentException($"Segment {s} is outside the round's {n} or given twice.", nameof(parts));
                }

                dose[s] = part.DosePerMu[k];
                sigma[s] = part.SigmaPerMu[k];
            }

            total += part.Histories;
        }

        int missing = Array.IndexOf(dose, null);
        if (missing >= 0)
        {
            throw new ArgumentException($"Segment {missing} of the round's {n} is missing.", nameof(parts));
        }

        return new SegmentDoses(grid, round.Segments, dose, sigma, total, seconds, device);
    }

    /// <summary>The segments' doses per MU on <paramref name="voxelIndices"/> as a rows × segments matrix (for re-optimising segment weights).</summary>
    public CsrMatrix Matrix(int[] voxelIndices)
    {
        ArgumentNullException.ThrowIfNull(voxelIndices);
        var columns = new List<(int[] Rows, float[] Values)>(Segments.Count);
        foreach (float[] d in DosePerMu)
        {
            var rows = new List<int>();
            var vals = new List<float>();
            for (int r = 0; r < voxelIndices.Length; r++)
            {
                float v = d[voxelIndices[r]];
                if (v > 0)
                {
                    rows.Add(r);
                    vals.Add(v);
                }
            }

            columns.Add(([.. rows], [.. vals]));
        }

        return CsrMatrix.FromColumns(voxelIndices.Length, columns);
    }

    /// <summary>Σₛ MUₛ·Dₛ and its absolute 1σ √Σₛ (MUₛ σₛ)², for MUs <paramref name="monitorUnits"/> (one per segment).</summary>
    public (VoxelGrid<float> DoseGy, VoxelGrid<float> RelativeUncertainty) Sum(ReadOnlySpan<double> monitorUnits)
    {
        int n = Grid.VoxelCount;
        var sum = new double[n];
        var var = new double[n];
        for (int s = 0; s < DosePerMu.Length; s++)
        {
            double mu = monitorUnits[s];
            float[] d = DosePerMu[s], sg = SigmaPerMu[s];
            for (int v = 0; v < n; v++)
            {
                sum[v] += mu * d[v];
                double e = mu * sg[v];
                var[v] += e * e;
            }
        }

        var dose = new VoxelGrid<float>(Grid);
        var rel = new VoxelGrid<float>(Grid);
        for (int v = 0; v < n; v++)
        {
            dose.Data[v] = (float)sum[v];
            rel.Data[v] = sum[v] > 0 ? (float)(Math.Sqrt(var[v]) / sum[v]) : 0f;
        }

        return (dose, rel);
    }
}
