namespace MeTAI.Core.Voxels;

/// <summary>
/// A 3D array of values on a <see cref="GridGeometry"/> (CT numbers in HU, densities in g/cm³, dose in Gy).
/// Storage is one flat array, i fastest, so hot loops can work on <see cref="Data"/> directly.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class VoxelGrid<T>
    where T : unmanaged
{
    /// <summary>A zero-filled grid.</summary>
    public VoxelGrid(GridGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry;
        Data = new T[geometry.VoxelCount];
    }

    /// <summary>A grid over existing data (not copied); its length must equal the voxel count.</summary>
    public VoxelGrid(GridGeometry geometry, T[] data)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != geometry.VoxelCount)
        {
            throw new ArgumentException($"Data has {data.Length} values but the grid has {geometry.VoxelCount} voxels.", nameof(data));
        }

        Geometry = geometry;
        Data = data;
    }

    /// <summary>Where the grid sits in LPS.</summary>
    public GridGeometry Geometry { get; }

    /// <summary>The values, i fastest, then j, then k.</summary>
    public T[] Data { get; }

    /// <summary>Value at voxel (i, j, k).</summary>
    public T this[int i, int j, int k]
    {
        get => Data[Geometry.Index(i, j, k)];
        set => Data[Geometry.Index(i, j, k)] = value;
    }

    /// <summary>One axial slice (fixed k) as a span.</summary>
    public Span<T> Slice(int k)
    {
        int n = Geometry.SizeX * Geometry.SizeY;
        return Data.AsSpan(k * n, n);
    }

    /// <summary>A deep copy.</summary>
    public VoxelGrid<T> Clone() => new(Geometry, (T[])Data.Clone());
}
