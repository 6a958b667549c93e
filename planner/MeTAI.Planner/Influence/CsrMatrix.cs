namespace MeTAI.Planner.Influence;

/// <summary>
/// A sparse matrix in compressed sparse row form, float32 values, 16-bit column indices (so at most 65 536 columns —
/// beamlets — per matrix; a clinical IMRT plan has a few thousand). Rows are voxels, columns beamlets: row i holds
/// the dose of every beamlet to voxel i. 6 bytes per non-zero; the optimiser streams them twice per iteration.
/// </summary>
public sealed class CsrMatrix
{
    /// <summary>The largest number of columns the 16-bit indices can address.</summary>
    public const int MaxColumns = ushort.MaxValue + 1;

    /// <summary>A matrix from its arrays (not copied); checks their shapes.</summary>
    public CsrMatrix(int rows, int columns, int[] rowPointers, ushort[] columnIndices, float[] values)
    {
        ArgumentNullException.ThrowIfNull(rowPointers);
        ArgumentNullException.ThrowIfNull(columnIndices);
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0 || columns < 0 || columns > MaxColumns)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"A CSR matrix has 0–{MaxColumns} columns and a non-negative row count.");
        }

        if (rowPointers.Length != rows + 1 || rowPointers[0] != 0 || rowPointers[rows] != values.Length || columnIndices.Length != values.Length)
        {
            throw new ArgumentException("CSR arrays are inconsistent (row pointers must run from 0 to the number of non-zeros).");
        }

        Rows = rows;
        Columns = columns;
        RowPointers = rowPointers;
        ColumnIndices = columnIndices;
        Values = values;
    }

    /// <summary>Number of rows (voxels).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (beamlets).</summary>
    public int Columns { get; }

    /// <summary>Row i's entries are [RowPointers[i], RowPointers[i + 1]).</summary>
    public int[] RowPointers { get; }

    /// <summary>Column index of each entry.</summary>
    public ushort[] ColumnIndices { get; }

    /// <summary>Value of each entry.</summary>
    public float[] Values { get; }

    /// <summary>Number of stored entries.</summary>
    public long NonZeros => Values.Length;

    /// <summary>Bytes the arrays take.</summary>
    public long Bytes => BytesFor(Rows, NonZeros);

    /// <summary>Bytes a matrix of <paramref name="rows"/> rows and <paramref name="nonZeros"/> entries takes.</summary>
    public static long BytesFor(long rows, long nonZeros) => (rows + 1) * sizeof(int) + nonZeros * (sizeof(ushort) + sizeof(float));

    /// <summary>
    /// Builds the row-major matrix from columns given as (row, value) lists, each list's rows ascending or not; the
    /// entries of each row come out in ascending column order.
    /// </summary>
    public static CsrMatrix FromColumns(int rows, IReadOnlyList<(int[] Rows, float[] Values)> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count > MaxColumns)
        {
            throw new ArgumentException($"{columns.Count} beamlets exceed the {MaxColumns} a 16-bit column index addresses.", nameof(columns));
        }

        var counts = new int[rows + 1];
        long nnz = 0;
        foreach ((int[] r, float[] v) in columns)
        {
            if (r.Length != v.Length)
            {
                throw new ArgumentException("Each column needs as many values as rows.", nameof(columns));
            }

            foreach (int i in r)
            {
                counts[i + 1]++;
            }

            nnz += r.Length;
        }

        if (nnz > int.MaxValue)
        {
            throw new ArgumentException($"{nnz} non-zeros exceed the 2³¹ − 1 a 32-bit row pointer addresses.", nameof(columns));
        }

        for (int i = 0; i < rows; i++)
        {
            counts[i + 1] += counts[i];
        }

        int[] pointers = (int[])counts.Clone();
        var cols = new ushort[nnz];
        var vals = new float[nnz];
        int[] next = counts;
        for (int c = 0; c < columns.Count; c++)
        {
            (int[] r, float[] v) = columns[c];
            for (int e = 0; e < r.Length; e++)
            {
                int slot = next[r[e]]++;
                cols[slot] = (ushort)c;
                vals[slot] = v[e];
            }
        }

        return new CsrMatrix(rows, columns.Count, pointers, cols, vals);
    }

    /// <summary>Splits the rows into <paramref name="chunks"/> ranges of about equal non-zeros (boundaries, chunks + 1 values).</summary>
    public int[] BalancedRowChunks(int chunks)
    {
        chunks = Math.Max(1, Math.Min(chunks, Math.Max(1, Rows)));
        var bounds = new int[chunks + 1];
        long nnz = NonZeros;
        int row = 0;
        for (int c = 1; c < chunks; c++)
        {
            long target = nnz * c / chunks;
            while (row < Rows && RowPointers[row] < target)
            {
                row++;
            }

            bounds[c] = row;
        }

        bounds[chunks] = Rows;
        for (int c = 1; c <= chunks; c++)
        {
            bounds[c] = Math.Max(bounds[c], bounds[c - 1]);
        }

        return bounds;
    }
}
