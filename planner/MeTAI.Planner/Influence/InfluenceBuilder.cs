using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;

namespace MeTAI.Planner.Influence;

/// <summary>
/// Builds an influence matrix (matRad's <c>calcDoseInfluence</c>): one Monte Carlo run per beamlet on a
/// <see cref="DoseSession"/> that keeps the phantom on the device, each run a lean tally (no batch statistics), each
/// beamlet's dose scaled to 1 MU of fluence, cut at <see cref="InfluenceSettings.RelativeCutoff"/> of its maximum and
/// kept for the requested voxels only. After the first beamlet the memory of the whole matrix is estimated and
/// printed, and the build stops with a clear error when it would not fit.
/// </summary>
public sealed class InfluenceBuilder
{
    private readonly MonteCarloEngine _engine;
    private readonly BeamModel _model;
    private readonly InfluenceSettings _settings;

    /// <summary>A builder using <paramref name="engine"/> and the beam model <paramref name="model"/>.</summary>
    public InfluenceBuilder(MonteCarloEngine engine, BeamModel model, InfluenceSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(model);
        _engine = engine;
        _model = model;
        _settings = settings ?? new InfluenceSettings();
        _settings.Validate();
        if (model.FluencePerMuPerCm2 is null)
        {
            throw new ArgumentException($"Beam model {model.Name} has no MU calibration; influence matrices are in Gy per MU.", nameof(model));
        }
    }

    /// <summary>Bytes of the build: the final CSR arrays plus the per-beamlet lists they are made from (8 bytes per entry).</summary>
    public static long EstimateBytes(long rows, long nonZeros) => CsrMatrix.BytesFor(rows, nonZeros) + nonZeros * (sizeof(int) + sizeof(float));

    /// <summary>Computes the matrix for the beamlets of <paramref name="grids"/> on <paramref name="phantom"/>, rows = <paramref name="voxelIndices"/> (ascending).</summary>
    /// <param name="phantom">The patient as materials and densities.</param>
    /// <param name="grids">Beamlet grids, one per beam; columns follow their order.</param>
    /// <param name="voxelIndices">Grid voxels that get rows, ascending.</param>
    /// <param name="log">Progress lines (every 10 s), or null.</param>
    /// <param name="progress">Fraction of the beamlets done (0–1) after each beamlet, or null.</param>
    /// <param name="cancellationToken">Checked before each beamlet and inside its Monte Carlo run.</param>
    /// <exception cref="InvalidOperationException">The estimated matrix would not fit in memory.</exception>
    public InfluenceMatrix Build(VoxelPhantom phantom, IReadOnlyList<BeamletGrid> grids, int[] voxelIndices, TextWriter? log = null, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(grids);
        ArgumentNullException.ThrowIfNull(voxelIndices);
        int total = grids.Sum(g => g.Count);
        if (total > CsrMatrix.MaxColumns)
        {
            throw new InvalidOperationException($"{total} beamlets exceed the {CsrMatrix.MaxColumns} one influence matrix addresses; use larger beamlets or fewer beams.");
        }

        var columns = new List<(int[] Rows, float[] Values)>(total);
        var beamlets = new List<Beamlet>(total);
        var dose = new float[phantom.Geometry.VoxelCount];
        var rowBuf = new int[voxelIndices.Length];
        var valBuf = new float[voxelIndices.Length];
        var voxBuf = new int[voxelIndices.Length];
        DepthSmoother? smoother = _settings.DepthSmoothingPoints > 0 ? new DepthSmoother(phantom.Geometry, phantom.DensitiesGPerCm3, _settings.DepthSmoothingPoints) : null;
        long nnz = 0, maxHistories = 0;
        Vec3 spacing = phantom.Geometry.SpacingMm;
        var sw = Stopwatch.StartNew();
        double lastReport = 0;
        using DoseSession session = _engine.OpenSession(phantom);
        for (int b = 0; b < grids.Count; b++)
        {
            BeamletGrid grid = grids[b];
            PlanBeam beam = grid.Beam;
            BeamGeometry geometry = beam.Geometry(_model.SadMm);
            long histories = _settings.HistoriesFor(grid.WidthMm * grid.HeightMm, spacing.X * spacing.Y * spacing.Z);
            maxHistories = Math.Max(maxHistories, histories);
            for (int n = 0; n < grid.Count; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (double cx, double cy) = grid.Center(n);
                BeamSetup setup = _model.CreateBeam(Aperture.Beamlet(cx, cy, grid.WidthMm, grid.HeightMm), geometry, 1.0);
                int column = columns.Count;
                session.RunDose(setup, histories, _settings.Seed + (ulong)column, dose, cancellationToken);
                int count = Extract(dose, voxelIndices, _settings.RelativeCutoff, rowBuf, valBuf);
                if (smoother is not null)
                {
                    for (int e = 0; e < count; e++)
                    {
                        voxBuf[e] = voxelIndices[rowBuf[e]];
                    }

                    Vec3 ray = (geometry.IsoPlaneToLps(cx, cy) - geometry.SourceLps).Normalized();
                    smoother.Smooth(dose, voxBuf.AsSpan(0, count), ray, valBuf.AsSpan(0, count));
                }

                columns.Add((rowBuf[..count], valBuf[..count]));
                beamlets.Add(new Beamlet(b, grid.Ix[n], grid.Iy[n]));
                nnz += count;
                progress?.Report((column + 1) / (double)total);
                if (column == 0)
                {
                    CheckMemory(voxelIndices.Length, (long)Math.Ceiling(count * 1.25) * total, total, log);
                }

                double t = sw.Elapsed.TotalSeconds;
                if (log is not null && (t - lastReport > 10 || column + 1 == total))
                {
                    lastReport = t;
                    double eta = t / (column + 1) * (total - column - 1);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  influence: {column + 1}/{total} beamlets, {nnz / 1e6:0.00} M non-zeros, {t:0} s (≈ {eta:0} s left)"));
                }
            }
        }

        CsrMatrix matrix = CsrMatrix.FromColumns(voxelIndices.Length, columns);
        return new InfluenceMatrix(phantom.Geometry, voxelIndices, beamlets, matrix, maxHistories, _settings.RelativeCutoff);
    }

    /// <summary>
    /// Copies the doses of <paramref name="voxelIndices"/> at or above <paramref name="relativeCutoff"/> × their maximum
    /// into (<paramref name="rows"/>, <paramref name="values"/>); returns the count.
    /// </summary>
    public static int Extract(ReadOnlySpan<float> dose, ReadOnlySpan<int> voxelIndices, double relativeCutoff, Span<int> rows, Span<float> values)
    {
        float max = 0;
        for (int r = 0; r < voxelIndices.Length; r++)
        {
            max = Math.Max(max, dose[voxelIndices[r]]);
        }

        if (!(max > 0))
        {
            return 0;
        }

        float cut = (float)(relativeCutoff * max);
        int count = 0;
        for (int r = 0; r < voxelIndices.Length; r++)
        {
            float d = dose[voxelIndices[r]];
            if (d > 0 && d >= cut)
            {
                rows[count] = r;
                values[count] = d;
                count++;
            }
        }

        return count;
    }

    private void CheckMemory(int rows, long estimatedNonZeros, int beamlets, TextWriter? log)
    {
        long bytes = EstimateBytes(rows, estimatedNonZeros);
        long limit = _settings.MaxMemoryBytes > 0 ? _settings.MaxMemoryBytes : (long)(0.8 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  influence: {beamlets} beamlets × {rows} voxels; estimate from the first beamlet ≈ {estimatedNonZeros / 1e6:0.00} M non-zeros, ≈ {bytes / 1048576.0:0} MiB to build ({CsrMatrix.BytesFor(rows, estimatedNonZeros) / 1048576.0:0} MiB kept; limit {limit / 1048576.0:0} MiB)"));
        if (bytes > limit)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The influence matrix would need ≈ {bytes / 1048576.0:0} MiB ({beamlets} beamlets × ≈ {estimatedNonZeros / (double)beamlets:0} non-zeros each over {rows} voxels), more than the {limit / 1048576.0:0} MiB allowed. Use larger beamlets, fewer beams, a larger relative cut-off or fewer evaluated voxels."));
        }
    }
}
