using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
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

        IReadOnlyList<InfluenceColumnSpec> specs = Columns(grids, phantom.Geometry.SpacingMm);
        var columns = new (int[] Rows, float[] Values)[total];
        long nnz = 0;
        var sw = Stopwatch.StartNew();
        double lastReport = 0;
        using DoseSession session = _engine.OpenSession(phantom);
        var workspace = new InfluenceWorkspace(this, phantom, voxelIndices);
        foreach (InfluenceColumnSpec spec in specs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int column = spec.Column;
            columns[column] = BuildColumn(session, workspace, grids, spec, cancellationToken);
            int count = columns[column].Rows.Length;
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

        return Assemble(phantom.Geometry, grids, voxelIndices, columns);
    }

    /// <summary>
    /// The matrix's columns in order — the beams of <paramref name="grids"/> in order, each grid's beamlets in order — with
    /// each one's Monte Carlo histories (<see cref="InfluenceSettings.HistoriesFor"/> on voxels of <paramref name="spacingMm"/>)
    /// and seed (<see cref="InfluenceSettings.Seed"/> + column). A column's dose depends on nothing else, so columns can be
    /// computed in any grouping and order (<see cref="BuildColumns"/>) and put together by <see cref="Assemble"/>.
    /// </summary>
    public IReadOnlyList<InfluenceColumnSpec> Columns(IReadOnlyList<BeamletGrid> grids, Vec3 spacingMm)
    {
        ArgumentNullException.ThrowIfNull(grids);
        var specs = new List<InfluenceColumnSpec>(grids.Sum(g => g.Count));
        for (int b = 0; b < grids.Count; b++)
        {
            BeamletGrid grid = grids[b];
            long histories = _settings.HistoriesFor(grid.WidthMm * grid.HeightMm, spacingMm.X * spacingMm.Y * spacingMm.Z);
            for (int n = 0; n < grid.Count; n++)
            {
                int column = specs.Count;
                specs.Add(new InfluenceColumnSpec(column, b, n, histories, _settings.Seed + (ulong)column));
            }
        }

        return specs;
    }

    /// <summary>
    /// Columns [<paramref name="firstColumn"/>, <paramref name="firstColumn"/> + <paramref name="count"/>) of the matrix
    /// (see <see cref="Columns"/>) on <paramref name="session"/>: each beamlet's dose per MU on the rows
    /// <paramref name="voxelIndices"/>, cut and smoothed as <see cref="Build"/> does — the same bits as in a whole build.
    /// </summary>
    public (int[] Rows, float[] Values)[] BuildColumns(DoseSession session, VoxelPhantom phantom, IReadOnlyList<BeamletGrid> grids, int[] voxelIndices, int firstColumn, int count,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(voxelIndices);
        IReadOnlyList<InfluenceColumnSpec> specs = Columns(grids, phantom.Geometry.SpacingMm);
        if (firstColumn < 0 || count < 0 || firstColumn + count > specs.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Columns [{firstColumn}, {firstColumn + count}) are not within the {specs.Count} beamlets of the grids.");
        }

        var workspace = new InfluenceWorkspace(this, phantom, voxelIndices);
        var columns = new (int[] Rows, float[] Values)[count];
        for (int c = 0; c < count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            columns[c] = BuildColumn(session, workspace, grids, specs[firstColumn + c], cancellationToken);
        }

        return columns;
    }

    /// <summary>The matrix of <paramref name="columns"/> (every column of <paramref name="grids"/>, in column order).</summary>
    public InfluenceMatrix Assemble(GridGeometry grid, IReadOnlyList<BeamletGrid> grids, int[] voxelIndices, IReadOnlyList<(int[] Rows, float[] Values)> columns)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(voxelIndices);
        ArgumentNullException.ThrowIfNull(columns);
        IReadOnlyList<InfluenceColumnSpec> specs = Columns(grids, grid.SpacingMm);
        if (columns.Count != specs.Count)
        {
            throw new ArgumentException($"{columns.Count} columns for the {specs.Count} beamlets of the grids.", nameof(columns));
        }

        var beamlets = new List<Beamlet>(specs.Count);
        foreach (InfluenceColumnSpec spec in specs)
        {
            BeamletGrid g = grids[spec.Beam];
            beamlets.Add(new Beamlet(spec.Beam, g.Ix[spec.Beamlet], g.Iy[spec.Beamlet]));
        }

        // Over every grid, an empty one included (as the matrix has always recorded it).
        Vec3 v = grid.SpacingMm;
        long maxHistories = grids.Count == 0 ? 0 : grids.Max(g => _settings.HistoriesFor(g.WidthMm * g.HeightMm, v.X * v.Y * v.Z));

        CsrMatrix matrix = CsrMatrix.FromColumns(voxelIndices.Length, columns);
        return new InfluenceMatrix(grid, voxelIndices, beamlets, matrix, maxHistories, _settings.RelativeCutoff);
    }

    private (int[] Rows, float[] Values) BuildColumn(DoseSession session, InfluenceWorkspace w, IReadOnlyList<BeamletGrid> grids, InfluenceColumnSpec spec, CancellationToken cancellationToken)
    {
        BeamletGrid grid = grids[spec.Beam];
        BeamGeometry geometry = grid.Beam.Geometry(_model.SadMm);
        (double cx, double cy) = grid.Center(spec.Beamlet);
        BeamSetup setup = _model.CreateBeam(Aperture.Beamlet(cx, cy, grid.WidthMm, grid.HeightMm), geometry, 1.0);
        session.RunDose(setup, spec.Histories, spec.Seed, w.Dose, cancellationToken);
        int count = Extract(w.Dose, w.VoxelIndices, _settings.RelativeCutoff, w.Rows, w.Values);
        if (w.Smoother is not null)
        {
            for (int e = 0; e < count; e++)
            {
                w.Voxels[e] = w.VoxelIndices[w.Rows[e]];
            }

            Vec3 ray = (geometry.IsoPlaneToLps(cx, cy) - geometry.SourceLps).Normalized();
            w.Smoother.Smooth(w.Dose, w.Voxels.AsSpan(0, count), ray, w.Values.AsSpan(0, count));
        }

        return (w.Rows[..count], w.Values[..count]);
    }

    // The buffers of one sequence of columns on one phantom (a dose grid and per-row scratch), and the depth smoother.
    private sealed class InfluenceWorkspace(InfluenceBuilder builder, VoxelPhantom phantom, int[] voxelIndices)
    {
        public int[] VoxelIndices { get; } = voxelIndices;

        public float[] Dose { get; } = new float[phantom.Geometry.VoxelCount];

        public int[] Rows { get; } = new int[voxelIndices.Length];

        public float[] Values { get; } = new float[voxelIndices.Length];

        public int[] Voxels { get; } = new int[voxelIndices.Length];

        public DepthSmoother? Smoother { get; } = builder._settings.DepthSmoothingPoints > 0
            ? new DepthSmoother(phantom.Geometry, phantom.DensitiesGPerCm3, builder._settings.DepthSmoothingPoints)
            : null;
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
