using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Influence;

/// <summary>
/// Dose per unit beamlet weight: A[i, j] is the dose in Gy to voxel <see cref="VoxelIndices"/>[i] from beamlet j
/// receiving 1 MU of fluence (the calibrated fluence per MU over the beamlet's area). Voxel-major CSR, float32, only
/// rows for voxels the plan evaluates (structures in the protocol and a ring around the targets), entries below
/// <see cref="RelativeCutoff"/> × the beamlet's maximum dropped. Columns are the beams' beamlets in order.
/// </summary>
public sealed class InfluenceMatrix
{
    /// <summary>An influence matrix; checks that rows and columns agree with the voxel and beamlet lists.</summary>
    public InfluenceMatrix(GridGeometry grid, int[] voxelIndices, IReadOnlyList<Beamlet> beamlets, CsrMatrix matrix, long historiesPerBeamlet, double relativeCutoff)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(voxelIndices);
        ArgumentNullException.ThrowIfNull(beamlets);
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rows != voxelIndices.Length || matrix.Columns != beamlets.Count)
        {
            throw new ArgumentException($"Matrix is {matrix.Rows}×{matrix.Columns} but there are {voxelIndices.Length} voxels and {beamlets.Count} beamlets.");
        }

        for (int i = 0; i < voxelIndices.Length; i++)
        {
            if ((uint)voxelIndices[i] >= (uint)grid.VoxelCount || (i > 0 && voxelIndices[i] <= voxelIndices[i - 1]))
            {
                throw new ArgumentException("Voxel indices must be ascending and inside the grid.", nameof(voxelIndices));
            }
        }

        Grid = grid;
        VoxelIndices = voxelIndices;
        Beamlets = beamlets;
        Matrix = matrix;
        HistoriesPerBeamlet = historiesPerBeamlet;
        RelativeCutoff = relativeCutoff;
    }

    /// <summary>The dose grid (the CT grid).</summary>
    public GridGeometry Grid { get; }

    /// <summary>Grid voxel index of each row, ascending.</summary>
    public int[] VoxelIndices { get; }

    /// <summary>The beamlet of each column.</summary>
    public IReadOnlyList<Beamlet> Beamlets { get; }

    /// <summary>The sparse matrix (Gy per MU).</summary>
    public CsrMatrix Matrix { get; }

    /// <summary>Monte Carlo histories simulated per beamlet.</summary>
    public long HistoriesPerBeamlet { get; }

    /// <summary>Entries below this fraction of their beamlet's maximum were dropped.</summary>
    public double RelativeCutoff { get; }

    /// <summary>Rows (voxels).</summary>
    public int Rows => Matrix.Rows;

    /// <summary>Columns (beamlets).</summary>
    public int Columns => Matrix.Columns;

    /// <summary>The rows of the voxels inside <paramref name="mask"/>, ascending (voxels without a row are skipped).</summary>
    public int[] RowsOf(VoxelMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (!mask.Geometry.SameAs(Grid))
        {
            throw new ArgumentException($"Mask '{mask.Name}' is not on the influence matrix's grid.", nameof(mask));
        }

        var rows = new List<int>();
        byte[] v = mask.Voxels;
        for (int r = 0; r < VoxelIndices.Length; r++)
        {
            if (v[VoxelIndices[r]] != 0)
            {
                rows.Add(r);
            }
        }

        return [.. rows];
    }

    /// <summary>Number of voxels of <paramref name="mask"/> that have no row (should be 0 for structures the plan optimises).</summary>
    public int MissingVoxels(VoxelMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return mask.Count - RowsOf(mask).Length;
    }

    /// <summary>Scatters row values into a full grid (voxels without a row get 0).</summary>
    public float[] ToGrid(ReadOnlySpan<float> rowValues)
    {
        var grid = new float[Grid.VoxelCount];
        for (int r = 0; r < VoxelIndices.Length; r++)
        {
            grid[VoxelIndices[r]] = rowValues[r];
        }

        return grid;
    }
}
